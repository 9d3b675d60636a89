package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.Sku;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import dev.orderpipeline.domain.model.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * What one order costs in DynamoDB and EventBridge requests, counted on the wire (an SDK interceptor sees every
 * request, retries included). These are the figures quoted in docs/architecture.md; the assertions keep them from
 * growing unnoticed.
 */
class CallsPerOrderIT {
    private static final int ORDERS = 100;
    private static final Currency EUR = Currency.of("EUR");

    private PipelineBackends backends;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ExecutionInterceptor counter = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            calls.computeIfAbsent(service + "." + operation, k -> new AtomicInteger()).incrementAndGet();
        }
    };

    @BeforeEach
    void start() {
        backends = new PipelineBackends();
    }

    @AfterEach
    void stop() {
        backends.close();
    }

    @Test
    void handleRequest_inStrictMode_costsOneTransactionPerOrderAndOnePutEventsPerTenOrders() {
        List<PendingOrder> orders = orders();
        ConfirmationHandler worker = worker("strict", 1);

        runInBatchesOfTen(worker, orders);

        report("strict, first delivery", orders.size());
        assertThat(count("DynamoDb.TransactWriteItems")).isEqualTo(ORDERS);
        assertThat(count("DynamoDb.GetItem")).as("one counter read when the worker starts, then none").isEqualTo(1);
        assertThat(count("EventBridge.PutEvents")).isEqualTo(ORDERS / 10);

        calls.clear();
        runInBatchesOfTen(worker, orders);

        report("strict, every message delivered again", orders.size());
        assertThat(count("DynamoDb.TransactWriteItems")).as("the cancelled transaction returns the stored order").isEqualTo(ORDERS);
        assertThat(count("DynamoDb.GetItem")).isZero();
        assertThat(count("EventBridge.PutEvents")).isEqualTo(ORDERS / 10);
    }

    @Test
    void handleRequest_inBlockMode_costsOnePlainPutPerOrderAndWritesTheCounterOncePerBlock() {
        List<PendingOrder> orders = orders();
        ConfirmationHandler worker = worker("block", 50);

        runInBatchesOfTen(worker, orders);

        report("block of 50, first delivery", orders.size());
        assertThat(count("DynamoDb.PutItem")).as("one conditional put of the order, no guard").isEqualTo(ORDERS);
        assertThat(count("DynamoDb.TransactWriteItems")).isZero();
        assertThat(count("DynamoDb.UpdateItem")).as("one reservation per 50 numbers").isEqualTo(ORDERS / 50);
        assertThat(count("DynamoDb.GetItem")).isZero();
        assertThat(count("EventBridge.PutEvents")).isEqualTo(ORDERS / 10);

        calls.clear();
        runInBatchesOfTen(worker, orders);

        report("block of 50, every message delivered again", orders.size());
        assertThat(count("DynamoDb.PutItem")).as("the failed condition returns the stored order").isEqualTo(ORDERS);
        assertThat(count("DynamoDb.UpdateItem")).as("one block for the first copy's claim; its number, put back, serves every"
                + " other copy").isEqualTo(1);
        assertThat(count("DynamoDb.GetItem")).isZero();
        assertThat(count("EventBridge.PutEvents")).isEqualTo(ORDERS / 10);
    }

    private void runInBatchesOfTen(ConfirmationHandler worker, List<PendingOrder> orders) {
        for (int i = 0; i < orders.size(); i += 10) {
            List<SQSEvent.SQSMessage> batch = new ArrayList<>();
            for (PendingOrder o : orders.subList(i, i + 10)) {
                batch.add(ParallelWorkers.message(OrderId.random().value(), OrderMessageJson.write(o)));
            }
            SQSEvent event = new SQSEvent();
            event.setRecords(batch);
            assertThat(worker.handleRequest(event, Mockito.mock(com.amazonaws.services.lambda.runtime.Context.class))
                    .getBatchItemFailures()).isEmpty();
        }
    }

    /** One handler instance, wired as in Lambda, whose AWS calls are counted. */
    private ConfirmationHandler worker(String mode, int blockSize) {
        return backends.handler(mode, blockSize, result -> { }, List.of(counter));
    }

    private int count(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    private void report(String scenario, int orders) {
        StringBuilder line = new StringBuilder("calls per order (" + scenario + ", " + orders + " orders):");
        new TreeMap<>(calls).forEach((op, n) -> line.append(String.format(" %s=%.2f", op, n.get() / (double) orders)));
        System.out.println(line);
    }

    private static List<PendingOrder> orders() {
        List<PendingOrder> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(new PendingOrder(OrderId.random(), Instant.now(), new OrderSubmission(new CustomerId("c-" + i), EUR,
                    List.of(new OrderLine(new Sku("BOOK-1"), 1 + i % 3, new Money(EUR, new BigDecimal("12.50")))),
                    Optional.empty(), Map.of())));
        }
        return orders;
    }
}
