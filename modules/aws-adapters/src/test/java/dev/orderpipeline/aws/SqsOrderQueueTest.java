package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderQueueUnavailableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SendMessage request of {@link SqsOrderQueue}, on a recorded HTTP client. */
class SqsOrderQueueTest {
    private final RecordingHttpClient http = new RecordingHttpClient();
    // the recorder answers without MD5 digests, which the SQS client would otherwise check
    private final SqsOrderQueue queue = new SqsOrderQueue(http.client(SqsClient.builder().checksumValidationEnabled(false)), "https://queue/orders");

    @Test
    void enqueue_sendsTheOrderMessageWithItsIdsAsAttributes() {
        PendingOrder order = TestOrders.pending();

        queue.enqueue(order, "corr-1");

        RecordingHttpClient.Call call = http.onlyCall();
        assertThat(call.operation()).isEqualTo("SendMessage");
        JsonNode body = call.body();
        assertThat(body.get("QueueUrl").asText()).isEqualTo("https://queue/orders");
        assertThat(OrderMessageJson.read(body.get("MessageBody").asText())).isEqualTo(order);
        assertThat(body.at("/MessageAttributes/orderId/StringValue").asText()).isEqualTo(order.orderId().value());
        assertThat(body.at("/MessageAttributes/correlationId/StringValue").asText()).isEqualTo("corr-1");
        assertThat(body.at("/MessageAttributes/submittedAt/DataType").asText()).isEqualTo("String");
    }

    @Test
    void enqueue_whenSqsRefuses_throwsUnavailableKeepingTheCause() {
        http.answer(400, "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"no queue\"}");

        assertThatThrownBy(() -> queue.enqueue(TestOrders.pending(), "corr-1"))
                .isInstanceOf(OrderQueueUnavailableException.class).hasCauseInstanceOf(RuntimeException.class);
    }
}
