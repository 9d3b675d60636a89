package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBody;
import static dev.orderpipeline.intake.ApiGatewayEvents.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.orderpipeline.aws.SqsOrderQueue;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.port.OrderQueue;
import dev.orderpipeline.testsupport.CapturedLogs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * What the intake function writes to its logs for an order with personal data: the order id and the correlation id,
 * never the customer id, the shipping address, the attributes or the Idempotency-Key (docs/security.md).
 */
class LogContentTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final String CORRELATION_ID = "log-check-5f1a";
    private static final String CUSTOMER_ID = "cust-privacy-4711";
    private static final String IDEMPOTENCY_KEY = "idem-privacy-key-9090";
    /** Every value of the order's address and attributes (the country, two letters, cannot be told apart from noise). */
    private static final List<String> PERSONAL_VALUES = List.of("Grace Brewster Hopper", "1 Navy Yard Drive", "Building 7B",
            "Arlington County", "Virginia", "VA-22202", "Happy birthday, Grace", "Amazing Grace 1906");
    private static final String ORDER = """
            {"customerId":"cust-privacy-4711","currency":"USD",
             "lines":[{"sku":"COBOL-MANUAL","quantity":1,"unitPrice":"49.90"}],
             "shippingAddress":{"name":"Grace Brewster Hopper","line1":"1 Navy Yard Drive","line2":"Building 7B",
                                "city":"Arlington County","region":"Virginia","postalCode":"VA-22202","country":"US"},
             "attributes":{"giftMessage":"Happy birthday, Grace","engraving":"Amazing Grace 1906"}}
            """;

    @Test
    void handleRequest_whenOrderIsAccepted_logsItsIdButNoPersonalData() {
        List<String> lines;
        APIGatewayV2HTTPResponse response;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            response = handler(RecordingOrderQueue.acknowledging()).handleRequest(orderEvent(), LambdaContexts.plain());
            lines = logs.lines();
        }

        assertThat(response.getStatusCode()).isEqualTo(202);
        String orderId = OrderJson.parse(response.getBody()).get("orderId").textValue();
        assertThat(lines).as("log lines").isNotEmpty()
                .anySatisfy(line -> assertThat(line).contains("order accepted and enqueued").contains(orderId).contains(CORRELATION_ID));
        assertNoPersonalData(lines);
    }

    @Test
    void handleRequest_whenTheQueueIsUnavailable_logsTheFailureButNoPersonalData() {
        SqsClient failing = new SqsClient() {
            @Override
            public SendMessageResponse sendMessage(SendMessageRequest request) {
                throw SqsException.builder().message("Service Unavailable").statusCode(503).requestId("req-503").build();
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {
            }
        };
        List<String> lines;
        APIGatewayV2HTTPResponse response;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            response = handler(new SqsOrderQueue(failing, "https://sqs.us-east-1.amazonaws.com/123456789012/orders"))
                    .handleRequest(orderEvent(), LambdaContexts.plain());
            lines = logs.lines();
        }

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(lines).as("log lines").anySatisfy(line -> assertThat(line)
                .contains("order not enqueued; answering 503").contains("Service Unavailable").contains(CORRELATION_ID));
        assertNoPersonalData(lines);
    }

    @Test
    void handleRequest_whenTheOrderIsInvalid_logsNoPersonalData() {
        String invalid = ORDER.replace("\"quantity\":1", "\"quantity\":0");
        List<String> lines;
        APIGatewayV2HTTPResponse response;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            response = handler(RecordingOrderQueue.acknowledging())
                    .handleRequest(withBody(orderEvent(), invalid), LambdaContexts.plain());
            lines = logs.lines();
        }

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertNoPersonalData(lines);
    }

    private static void assertNoPersonalData(List<String> lines) {
        for (String line : lines) {
            assertThat(line).as("a log line").doesNotContain(CUSTOMER_ID).doesNotContain(IDEMPOTENCY_KEY);
            for (String value : PERSONAL_VALUES) {
                assertThat(line).as("a log line").doesNotContain(value);
            }
        }
    }

    private static APIGatewayV2HTTPEvent orderEvent() {
        APIGatewayV2HTTPEvent event = withBody(load("post-order-valid.json"), ORDER);
        withHeader(event, "x-correlation-id", CORRELATION_ID);
        return withHeader(event, "idempotency-key", IDEMPOTENCY_KEY);
    }

    private static IntakeHandler handler(OrderQueue queue) {
        return new IntakeHandler(new SubmitOrder(queue, FakeOrderLookup.empty(), new InMemoryIdempotencyRecords(),
                SubmitOrder.DEFAULT_IDEMPOTENCY_WINDOW, Clock.fixed(NOW, ZoneOffset.UTC)),
                new RecordingIntakeMetrics());
    }
}
