package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.port.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The PutEvents calls of {@link EventBridgeOrderPublisher}, on a recorded HTTP client. */
class EventBridgeOrderPublisherTest {
    private final RecordingHttpClient http = new RecordingHttpClient();
    private final List<Long> pauses = new ArrayList<>();
    private final EventBridgeOrderPublisher publisher = new EventBridgeOrderPublisher(
            http.client(EventBridgeClient.builder()), "bus-1", "order-pipeline", pauses::add);

    @Test
    void publish_whenTwentyFiveEvents_sendsThreeCallsOfAtMostTenEntriesToTheBus() {
        List<OrderConfirmed> events = events(25);

        EventPublisher.PublishResult result = publisher.publish(events);

        assertThat(result.failed()).isEmpty();
        assertThat(http.calls()).extracting(c -> c.body().get("Entries").size()).containsExactly(10, 10, 5);
        JsonNode entry = http.calls().get(0).body().at("/Entries/0");
        assertThat(entry.get("EventBusName").asText()).isEqualTo("bus-1");
        assertThat(entry.get("Source").asText()).isEqualTo("order-pipeline");
        assertThat(entry.get("DetailType").asText()).isEqualTo("OrderConfirmed");
        assertThat(entry.get("Detail").asText()).contains(events.get(0).orderId().value());
    }

    @Test
    void publish_whenOneEntryFails_sendsOnlyThatEntryAgain() {
        List<OrderConfirmed> events = events(3);
        http.answer(200, """
                {"FailedEntryCount":1,"Entries":[{"EventId":"e1"},{"ErrorCode":"ThrottlingException","ErrorMessage":"slow"},{"EventId":"e3"}]}""");

        EventPublisher.PublishResult result = publisher.publish(events);

        assertThat(result.failed()).isEmpty();
        assertThat(result.retries()).isEqualTo(1);
        assertThat(http.calls()).hasSize(2);
        assertThat(http.calls().get(1).body().get("Entries")).hasSize(1);
        assertThat(http.calls().get(1).body().at("/Entries/0/Detail").asText()).contains(events.get(1).orderId().value());
        assertThat(pauses).hasSize(1);
    }

    @Test
    void publish_whenAnEntryFailsOnEveryAttempt_returnsItsOrderAsFailed() {
        List<OrderConfirmed> events = events(1);
        for (int i = 0; i < EventBridgeOrderPublisher.MAX_ATTEMPTS; i++) {
            http.answer(200, "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"InternalFailure\"}]}");
        }

        EventPublisher.PublishResult result = publisher.publish(events);

        assertThat(result.failed()).containsExactly(events.get(0).orderId());
        assertThat(http.calls()).hasSize(EventBridgeOrderPublisher.MAX_ATTEMPTS);
    }

    private static List<OrderConfirmed> events(int count) {
        List<OrderConfirmed> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(TestOrders.event(TestOrders.confirmed(i + 1)));
        }
        return events;
    }
}
