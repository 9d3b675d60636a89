package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.PendingOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The intake handler, wired exactly as the local runtime wires it ({@code Env} + {@code AwsClients}), against an
 * embedded ElasticMQ: what a client is told must match what lands on the queue. Each test gets its own queue.
 *
 * <p>Only requests without an {@code Idempotency-Key}: with one, intake first looks the key up in DynamoDB, which
 * this test does not run (the GET path and the key check belong to the DynamoDB integration tests).
 */
class IntakeQueueIT {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private static final String EVENT_CORRELATION_ID = "checkout-7f3a9c";

    private static SQSRestServer elasticMq;
    private static URI endpoint;
    /** The test's own view of the queue: plain SDK defaults, so that it can long-poll beyond the handler's timeouts. */
    private static SqsClient sqs;
    private static int queueCount;

    private String queueUrl;

    @BeforeAll
    static void startElasticMq() {
        int port = freePort();
        elasticMq = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
        elasticMq.waitUntilStarted();
        endpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopElasticMq() {
        if (sqs != null) {
            sqs.close();
        }
        if (elasticMq != null) {
            elasticMq.stopAndWait();
        }
    }

    @BeforeEach
    void createQueue() {
        String name = "orders-intake-it-" + (++queueCount);
        queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    @AfterEach
    void deleteQueue() {
        try {
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        } catch (QueueDoesNotExistException alreadyDeleted) {
            // the test deleted it
        }
    }

    // ---------------------------------------------------------------- helpers

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for ElasticMQ", e);
        }
    }

    private static IntakeHandler handler(String orderQueueUrl, URI sqsEndpoint) {
        return new IntakeHandler(new Env(Map.of("ORDER_QUEUE_URL", orderQueueUrl, "ORDERS_TABLE", "orders-it")),
                AwsClients.forEndpoint("us-east-1", sqsEndpoint, CREDENTIALS));
    }

    private IntakeHandler handler() {
        return handler(queueUrl, endpoint);
    }

    private static APIGatewayV2HTTPResponse post(IntakeHandler handler, String eventName) {
        return handler.handleRequest(load(eventName), LambdaContexts.plain());
    }

    /** Long-polls once; returns as soon as anything is visible. */
    private List<Message> receive() {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(5)
                .messageAttributeNames("All")).messages();
    }

    /** Visible, in flight and delayed messages: ElasticMQ counts exactly, and a send is done before the handler returns. */
    private Map<QueueAttributeName, String> counts() {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    }

    private void assertQueueHolds(int visible, int inFlight) {
        assertThat(counts()).as("messages on %s", queueUrl).containsExactlyInAnyOrderEntriesOf(Map.of(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, Integer.toString(visible),
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, Integer.toString(inFlight),
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
    }

    private void assertNothingWasEnqueued() {
        assertQueueHolds(0, 0);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages())
                .as("messages received from %s", queueUrl).isEmpty();
    }

    private static String text(Message message, String attribute) {
        MessageAttributeValue value = message.messageAttributes().get(attribute);
        assertThat(value).as("message attribute %s", attribute).isNotNull();
        assertThat(value.dataType()).isEqualTo("String");
        return value.stringValue();
    }

    private static void assertQueueUnavailable(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(503);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Retry-After", "2")
                .doesNotContainKey("Location");
        assertThat(OrderJson.parse(response.getBody()).get("type").textValue()).isEqualTo("urn:order-pipeline:problem:queue-unavailable");
    }

    // ---------------------------------------------------------------- tests

    @Test
    void handleRequest_whenOrderIsValid_putsExactlyOneMessageWithTheAcceptedOrderOnTheQueue() {
        APIGatewayV2HTTPResponse response = post(handler(), "post-order-valid.json");

        assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(202);
        JsonNode accepted = OrderJson.parse(response.getBody());
        String orderId = accepted.get("orderId").textValue();
        String submittedAt = accepted.get("submittedAt").textValue();
        assertThat(response.getHeaders()).containsEntry("Location", "/orders/" + orderId);

        List<Message> received = receive();
        assertThat(received).as("messages received").hasSize(1);
        assertQueueHolds(0, 1); // the one message received above, and nothing else
        Message message = received.get(0);
        PendingOrder enqueued = OrderMessageJson.read(message.body());
        assertThat(enqueued).isEqualTo(new PendingOrder(new OrderId(orderId), Instant.parse(submittedAt), TestOrders.validEventSubmission()));
        assertThat(text(message, "orderId")).isEqualTo(orderId);
        assertThat(text(message, "submittedAt")).isEqualTo(submittedAt);
        assertThat(text(message, "correlationId")).isEqualTo(EVENT_CORRELATION_ID).isEqualTo(response.getHeaders().get("X-Correlation-Id"));

        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        assertNothingWasEnqueued();
    }

    @Test
    void handleRequest_whenPrimedForSnapStart_enqueuesNothingWhilePrimingAndThenExactlyTheOneAcceptedOrder() {
        IntakeHandler handler = handler();
        handler.priming().beforeCheckpoint(null);
        handler.priming().afterRestore(null);
        assertNothingWasEnqueued();

        APIGatewayV2HTTPResponse response = post(handler, "post-order-valid.json");

        assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(202);
        String orderId = OrderJson.parse(response.getBody()).get("orderId").textValue();
        List<Message> received = receive();
        assertThat(received).extracting(m -> OrderMessageJson.read(m.body()).orderId().value()).containsExactly(orderId);
        assertQueueHolds(0, 1);
    }

    @Test
    void handleRequest_whenOrderIsInvalid_putsNothingOnTheQueue() {
        APIGatewayV2HTTPResponse response = post(handler(), "post-order-invalid.json");

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertNothingWasEnqueued();
    }

    @Test
    void handleRequest_whenQueueWasDeleted_answers503AndAcceptsNothing() {
        IntakeHandler handler = handler();
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));

        APIGatewayV2HTTPResponse response = post(handler, "post-order-valid.json");

        assertQueueUnavailable(response);
    }

    @Test
    void handleRequest_whenQueueUrlIsWrong_answers503AndLeavesTheRealQueueEmpty() {
        String wrongUrl = queueUrl.substring(0, queueUrl.lastIndexOf('/') + 1) + "no-such-order-queue";

        APIGatewayV2HTTPResponse response = post(handler(wrongUrl, endpoint), "post-order-valid.json");

        assertQueueUnavailable(response);
        assertNothingWasEnqueued();
    }

    @Test
    void handleRequest_whenSqsEndpointIsUnreachable_answers503WithinTheCallTimeout() {
        URI nobodyListening = URI.create("http://127.0.0.1:" + freePort());
        IntakeHandler handler = handler(queueUrl, nobodyListening);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = post(handler, "post-order-valid.json");

        assertQueueUnavailable(response);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertNothingWasEnqueued();
    }
}
