package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.EventPublisher;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfirmationHandlerTest {
    private static final String GOOD = "059f36b4-87a3-44ab-83d2-661975830a7d";
    private static final String POISON = "2e1424d4-f796-459a-8184-9c92662be6da";

    private final List<BatchResult> recorded = new ArrayList<>();
    private final List<OrderConfirmed> published = new ArrayList<>();
    private final Context context = mock(Context.class);

    @Test
    void handleRequest_whenBatchHoldsAPoisonMessage_reportsOnlyItAndConfirmsTheOther() {
        SQSEvent event = EventLoader.loadSQSEvent("sqs/order-batch.json");

        SQSBatchResponse response = handler(Set.of()).handleRequest(event, context);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(POISON);
        assertThat(published).extracting(e -> e.orderId().value()).containsExactly("3f0b0c5e-8f1e-4c59-9b7a-2f1d8c1e7a10");
        assertThat(recorded).singleElement().satisfies(r -> {
            assertThat(r.confirmed()).isEqualTo(1);
            assertThat(r.poisonMessages()).isEqualTo(1);
        });
    }

    @Test
    void handleRequest_whenTheEventCannotBePublished_reportsTheMessageSoSqsRedeliversIt() {
        SQSEvent event = EventLoader.loadSQSEvent("sqs/order-batch.json");

        SQSBatchResponse response = handler(Set.of(new OrderId("3f0b0c5e-8f1e-4c59-9b7a-2f1d8c1e7a10"))).handleRequest(event, context);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder(GOOD, POISON);
    }

    @Test
    void handleRequest_whenTheUseCaseFailsUnexpectedly_reportsTheWholeBatchRatherThanLoseIt() {
        ConfirmOrders broken = mock(ConfirmOrders.class);
        when(broken.confirm(any())).thenThrow(new IllegalStateException("bug"));
        SQSEvent event = EventLoader.loadSQSEvent("sqs/order-batch.json");

        SQSBatchResponse response = new ConfirmationHandler(broken, recorded::add).handleRequest(event, context);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder(GOOD, POISON);
    }

    @Test
    void handleRequest_whenTheEventHasNoRecords_returnsNoFailures() {
        SQSBatchResponse response = handler(Set.of()).handleRequest(new SQSEvent(), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void config_whenARequiredVariableIsMissing_failsNamingIt() {
        assertThatThrownBy(() -> ConfirmationConfig.from(new Env(Map.of("ORDERS_TABLE", "t"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable EVENT_BUS_NAME is not set");
        assertThatThrownBy(() -> ConfirmationConfig.from(new Env(Map.of("ORDERS_TABLE", "t", "EVENT_BUS_NAME", "b",
                "ORDER_NUMBER_MODE", "fast"))))
                .hasMessage("environment variable ORDER_NUMBER_MODE must be strict or block");
        assertThatThrownBy(() -> ConfirmationConfig.from(new Env(Map.of("ORDERS_TABLE", "t", "EVENT_BUS_NAME", "b",
                "ORDER_NUMBER_BLOCK_SIZE", "0"))))
                .hasMessageContaining("ORDER_NUMBER_BLOCK_SIZE must be between 1 and");
    }

    @Test
    void config_whenOnlyRequiredVariablesAreSet_defaultsToStrictNumbering() {
        ConfirmationConfig config = ConfirmationConfig.from(new Env(Map.of("ORDERS_TABLE", "t", "EVENT_BUS_NAME", "b")));

        assertThat(config.numberMode()).isEqualTo("strict");
        assertThat(config.eventSource()).isEqualTo("order-pipeline");
    }

    /** A handler over an in-memory store; events of the given orders fail to publish. */
    private ConfirmationHandler handler(Set<OrderId> unpublishable) {
        OrderStore store = new OrderStore() {
            @Override
            public SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim) {
                return new SaveOutcome.Saved(order);
            }

            @Override
            public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
                return Optional.empty();
            }
        };
        OrderNumberAllocator allocator = new OrderNumberAllocator() {
            private long next = 1;

            @Override
            public NumberClaim claim() {
                return new NumberClaim.Reserved(new OrderNumber(next++));
            }

            @Override
            public void settle(NumberClaim claim, SaveOutcome outcome) {
            }
        };
        EventPublisher publisher = events -> {
            List<OrderId> failed = new ArrayList<>();
            for (OrderConfirmed e : events) {
                if (unpublishable.contains(e.orderId())) {
                    failed.add(e.orderId());
                } else {
                    published.add(e);
                }
            }
            return new EventPublisher.PublishResult(Set.copyOf(failed), 0);
        };
        return new ConfirmationHandler(new ConfirmOrders(store, allocator, publisher, Clock.systemUTC()), recorded::add);
    }
}
