package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.testsupport.CapturedLogs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the confirmation function writes to its logs for orders with personal data, confirmed or poison: message ids,
 * order ids, order numbers and field pointers, never the customer id, the shipping address or the attributes
 * (docs/security.md).
 */
class LogContentTest {
    private static final String ORDER_ID = "5b0c2f9e-4f7a-4c1e-9d3b-8a6e2f1c7d40";
    private static final String CUSTOMER_ID = "cust-privacy-8086";
    private static final List<String> PERSONAL_VALUES = List.of("Katherine Johnson", "1 Langley Boulevard", "Hangar 4",
            "Hampton Roads", "Virginia", "VA-23681", "Orbit calculations inside", "Handle with care, Katherine");
    private static final String MESSAGE = """
            {"messageVersion":1,"orderId":"5b0c2f9e-4f7a-4c1e-9d3b-8a6e2f1c7d40","submittedAt":"2026-11-26T10:00:00.123Z",
             "order":{"customerId":"cust-privacy-8086","currency":"USD",
                      "lines":[{"sku":"SLIDE-RULE-1","quantity":1,"unitPrice":"19.99"}],
                      "shippingAddress":{"name":"Katherine Johnson","line1":"1 Langley Boulevard","line2":"Hangar 4",
                                         "city":"Hampton Roads","region":"Virginia","postalCode":"VA-23681","country":"US"},
                      "attributes":{"note":"Orbit calculations inside","label":"Handle with care, Katherine"}}}
            """;

    private final Context context = mock(Context.class);
    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final List<OrderConfirmed> published = new ArrayList<>();
    private final List<BatchResult> recorded = new ArrayList<>();

    @Test
    void handleRequest_whenTheOrderIsConfirmed_logsItsNumberButNoPersonalData() {
        SQSEvent.SQSMessage message = MalformedQueueMessagesTest.message(MESSAGE);

        List<String> lines = handle(message);

        assertThat(published).extracting(OrderConfirmed::orderId).containsExactly(new OrderId(ORDER_ID));
        assertThat(lines).as("log lines").anySatisfy(line -> assertThat(line).contains("order confirmed as ORD-").contains(ORDER_ID));
        assertNoPersonalData(lines);
    }

    @Test
    void handleRequest_whenAPoisonMessageCarriesAnAddress_logsTheMessageIdAndPointerButNoPersonalData() {
        SQSEvent.SQSMessage poison = MalformedQueueMessagesTest.message(MESSAGE.replace("\"quantity\":1", "\"quantity\":0"));

        List<String> lines = handle(poison);

        assertThat(lines).as("log lines").anySatisfy(line -> assertThat(line)
                .contains("unreadable order message").contains(poison.getMessageId()).contains("/order/lines/0/quantity"));
        assertNoPersonalData(lines);
    }

    @Test
    void handleRequest_whenAPoisonMessageIsTruncatedInsideTheAddress_logsNoPersonalData() {
        SQSEvent.SQSMessage poison = MalformedQueueMessagesTest.message(MESSAGE.substring(0, MESSAGE.indexOf("Hampton") + 4));

        List<String> lines = handle(poison);

        assertThat(lines).as("log lines").anySatisfy(line -> assertThat(line)
                .contains("unreadable order message").contains(poison.getMessageId()).contains("the JSON ends early"));
        assertNoPersonalData(lines);
    }

    private List<String> handle(SQSEvent.SQSMessage message) {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            SQSBatchResponse response = InMemoryOrderStore.handler(store, published, recorded)
                    .handleRequest(MalformedQueueMessagesTest.event(List.of(message)), context);
            assertThat(response.getBatchItemFailures()).hasSizeLessThanOrEqualTo(1);
            return logs.lines();
        }
    }

    private static void assertNoPersonalData(List<String> lines) {
        for (String line : lines) {
            assertThat(line).as("a log line").doesNotContain(CUSTOMER_ID);
            for (String value : PERSONAL_VALUES) {
                assertThat(line).as("a log line").doesNotContain(value);
            }
        }
    }
}
