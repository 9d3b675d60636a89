package dev.orderpipeline.domain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.TestOrders;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.FieldError;
import dev.orderpipeline.domain.model.InvalidOrderException;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderMessageJsonTest {
    private static final PendingOrder ORDER = TestOrders.pending(TestOrders.orderId(1), TestOrders.submission());

    private static ObjectNode messageOf(PendingOrder order) {
        return (ObjectNode) OrderJson.parse(OrderMessageJson.write(order));
    }

    private static List<FieldError> errorsOf(JsonNode message) {
        Throwable thrown = catchThrowable(() -> OrderMessageJson.read(OrderJson.write(message)));
        assertThat(thrown).as("reading the message should fail validation").isInstanceOf(InvalidOrderException.class);
        return ((InvalidOrderException) thrown).errors();
    }

    private static Arguments violation(String name, Consumer<ObjectNode> mutation, String pointer, String code) {
        return arguments(named(name, mutation), pointer, code);
    }

    // ---------------------------------------------------------------- round trip

    @Test
    void read_whenMessageWasWrittenByWrite_givesEqualOrder() {
        assertThat(OrderMessageJson.read(OrderMessageJson.write(ORDER))).isEqualTo(ORDER);
    }

    @Test
    void read_whenOrderHasNoAddressOrAttributes_givesEqualOrder() {
        PendingOrder minimal = TestOrders.pending(TestOrders.orderId(2), new OrderSubmission(new CustomerId("c"),
                TestOrders.JPY, List.of(TestOrders.line("A", 10_000, TestOrders.money(TestOrders.JPY, "100000"))),
                Optional.empty(), Map.of()));

        assertThat(OrderMessageJson.read(OrderMessageJson.write(minimal))).isEqualTo(minimal);
    }

    @Test
    void read_whenOptionalAddressLinesAndBhdPricesArePresent_givesEqualOrder() {
        PendingOrder order = new PendingOrder(OrderId.random(), Instant.parse("2026-01-01T00:00:00.000000001Z"),
                new OrderSubmission(new CustomerId("cust:bhd@example"), TestOrders.BHD,
                        List.of(TestOrders.line("B-1", 3, TestOrders.money(TestOrders.BHD, "1.250"))),
                        Optional.of(new dev.orderpipeline.domain.model.ShippingAddress("Name", "Line 1", "Line 2", "Manama",
                                "Capital", "317", "BH")),
                        Map.of("a/b", "~")));

        assertThat(OrderMessageJson.read(OrderMessageJson.write(order))).isEqualTo(order);
    }

    @Test
    void write_whenOrderIsWritten_hasVersionIdInstantAndOrder() {
        ObjectNode message = messageOf(ORDER);

        assertThat(message.get("messageVersion").intValue()).isEqualTo(OrderMessageJson.MESSAGE_VERSION);
        assertThat(message.get("orderId").textValue()).isEqualTo(ORDER.orderId().value());
        assertThat(message.get("submittedAt").textValue()).isEqualTo("2026-11-26T10:00:00.123Z");
        assertThat(message.get("order")).isEqualTo(OrderSubmissionJson.write(ORDER.submission()));
    }

    // ---------------------------------------------------------------- envelope violations

    static Stream<Arguments> envelopeViolations() {
        return Stream.of(
                violation("messageVersion missing", m -> m.remove("messageVersion"), "/messageVersion", "unsupported_version"),
                violation("messageVersion 2", m -> m.put("messageVersion", 2), "/messageVersion", "unsupported_version"),
                violation("messageVersion 0", m -> m.put("messageVersion", 0), "/messageVersion", "unsupported_version"),
                violation("messageVersion string", m -> m.put("messageVersion", "1"), "/messageVersion", "unsupported_version"),
                violation("messageVersion null", m -> m.putNull("messageVersion"), "/messageVersion", "unsupported_version"),
                violation("orderId missing", m -> m.remove("orderId"), "/orderId", "invalid_format"),
                violation("orderId upper case", m -> m.put("orderId", ORDER.orderId().value().toUpperCase()), "/orderId",
                        "invalid_format"),
                violation("orderId not a uuid", m -> m.put("orderId", "order-1"), "/orderId", "invalid_format"),
                violation("orderId without dashes", m -> m.put("orderId", ORDER.orderId().value().replace("-", "")),
                        "/orderId", "invalid_format"),
                violation("orderId number", m -> m.put("orderId", 1), "/orderId", "invalid_format"),
                violation("submittedAt missing", m -> m.remove("submittedAt"), "/submittedAt", "required"),
                violation("submittedAt number", m -> m.put("submittedAt", 1_764_151_200_000L), "/submittedAt", "required"),
                violation("submittedAt not an instant", m -> m.put("submittedAt", "yesterday"), "/submittedAt", "invalid_format"),
                violation("submittedAt date only", m -> m.put("submittedAt", "2026-11-26"), "/submittedAt", "invalid_format"),
                violation("submittedAt without zone", m -> m.put("submittedAt", "2026-11-26T10:00:00"), "/submittedAt",
                        "invalid_format"),
                // the repro: Instant.parse reads it, but the v1 event's date-time needs a four-digit year
                violation("submittedAt in year 1000000000", m -> m.put("submittedAt", "+1000000000-12-31T23:59:59.999999999Z"),
                        "/submittedAt", "invalid_format"),
                violation("submittedAt in year 10000", m -> m.put("submittedAt", "+10000-01-01T00:00:00Z"), "/submittedAt",
                        "invalid_format"),
                violation("submittedAt before year 0", m -> m.put("submittedAt", "-0001-01-01T00:00:00Z"), "/submittedAt",
                        "invalid_format"),
                violation("submittedAt before 2000", m -> m.put("submittedAt", "1999-12-31T23:59:59.999Z"), "/submittedAt",
                        "invalid_format"),
                violation("submittedAt with an offset", m -> m.put("submittedAt", "2026-11-26T10:00:00+01:00"), "/submittedAt",
                        "invalid_format"),
                violation("submittedAt lower-case t and z", m -> m.put("submittedAt", "2026-11-26t10:00:00z"), "/submittedAt",
                        "invalid_format"),
                violation("order missing", m -> m.remove("order"), "/order", "type"),
                violation("order not an object", m -> m.put("order", "{}"), "/order", "type"));
    }

    @ParameterizedTest
    @MethodSource("envelopeViolations")
    void read_whenEnvelopeViolatesRule_reportsPointerAndCode(Consumer<ObjectNode> mutation, String pointer, String code) {
        ObjectNode message = messageOf(ORDER);
        mutation.accept(message);

        assertThat(errorsOf(message))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(tuple(pointer, code));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-11-26T10:00:00.123456Z"})
    void read_whenSubmittedAtIsAtOrWithinTheBounds_readsIt(String submittedAt) {
        ObjectNode message = messageOf(ORDER);
        message.put("submittedAt", submittedAt);

        assertThat(OrderMessageJson.read(OrderJson.write(message)).submittedAt()).isEqualTo(Instant.parse(submittedAt));
    }

    @Test
    void toQueuedOrder_whenBodyIsUnreadable_namesTheRuleNotTheContent() {
        ObjectNode message = messageOf(ORDER);
        message.put("submittedAt", "+1000000000-12-31T23:59:59.999999999Z");

        assertThat(OrderMessageJson.toQueuedOrder("m-1", OrderJson.write(message)))
                .isInstanceOfSatisfying(QueuedOrder.Unreadable.class, u -> {
                    assertThat(u.messageId()).isEqualTo("m-1");
                    assertThat(u.reason()).contains("/submittedAt invalid_format").doesNotContain("1000000000");
                });
        assertThat(OrderMessageJson.toQueuedOrder("m-2", OrderMessageJson.write(ORDER)))
                .isEqualTo(new QueuedOrder.Readable("m-2", ORDER));
    }

    @Test
    void read_whenInnerOrderIsInvalid_prefixesPointersWithOrder() {
        ObjectNode message = messageOf(ORDER);
        ObjectNode order = (ObjectNode) message.get("order");
        ((ObjectNode) order.get("lines").get(1)).put("quantity", 0);
        ((ObjectNode) order.get("shippingAddress")).put("country", "de");
        order.put("total", "25.99");

        assertThat(errorsOf(message))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactlyInAnyOrder(
                        tuple("/order/total", "unknown_field"),
                        tuple("/order/lines/1/quantity", "out_of_range"),
                        tuple("/order/shippingAddress/country", "invalid_format"));
    }

    @Test
    void read_whenEnvelopeAndOrderAreBothInvalid_reportsEveryError() {
        ObjectNode message = messageOf(ORDER);
        message.put("messageVersion", 2);
        message.put("orderId", "nope");
        message.put("submittedAt", "nope");
        ((ObjectNode) message.get("order")).remove("currency");

        assertThat(errorsOf(message))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactlyInAnyOrder(
                        tuple("/messageVersion", "unsupported_version"),
                        tuple("/orderId", "invalid_format"),
                        tuple("/submittedAt", "invalid_format"),
                        tuple("/order/currency", "required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"message\"", "42", "null"})
    void read_whenMessageIsNotAnObject_reportsTypeAtRoot(String body) {
        Throwable thrown = catchThrowable(() -> OrderMessageJson.read(body));

        assertThat(thrown).isInstanceOf(InvalidOrderException.class);
        assertThat(((InvalidOrderException) thrown).errors())
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(tuple("", "type"));
    }

    @Test
    void read_whenBodyIsMalformed_throwsMalformedJson() {
        assertThat(catchThrowable(() -> OrderMessageJson.read("{\"messageVersion\":1,\"messageVersion\":1}")))
                .isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void read_whenBodyIsNull_throwsMalformedJson() {
        assertThat(catchThrowable(() -> OrderMessageJson.read(null)))
                .isInstanceOf(MalformedJsonException.class);
    }
}
