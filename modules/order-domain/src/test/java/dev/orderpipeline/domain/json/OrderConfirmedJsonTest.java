package dev.orderpipeline.domain.json;

import static dev.orderpipeline.domain.TestOrders.BHD;
import static dev.orderpipeline.domain.TestOrders.EUR;
import static dev.orderpipeline.domain.TestOrders.JPY;
import static dev.orderpipeline.domain.TestOrders.line;
import static dev.orderpipeline.domain.TestOrders.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orderpipeline.domain.TestOrders;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.ShippingAddress;
import java.time.Instant;
import dev.orderpipeline.domain.model.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderConfirmedJsonTest {
    private static final String SCHEMA_ID = "https://orderpipeline.dev/schemas/order-confirmed-v1.schema.json";
    private static final Instant CONFIRMED_AT = Instant.parse("2026-11-26T10:00:02.500Z");

    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() {
        // the $id is mapped to the classpath copy, so validation never reaches for the network
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(
                        "https://orderpipeline.dev/schemas/", "classpath:schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        schema = factory.getSchema(SchemaLocation.of(SCHEMA_ID), config);
        assertThat(OrderConfirmedJson.class.getResource(OrderConfirmedJson.SCHEMA_RESOURCE)).isNotNull();
    }

    private static Set<ValidationMessage> validate(JsonNode detail) {
        return schema.validate(detail);
    }

    private static Set<ValidationMessage> validate(String detail) {
        return validate(OrderJson.parse(detail));
    }

    // ---------------------------------------------------------------- fixtures

    private static OrderSubmission submissionIn(Currency currency) {
        if (currency.equals(JPY)) {
            return new OrderSubmission(new CustomerId("cust-jp"), JPY,
                    List.of(line("JP-1", 3, money(JPY, "1200")), line("JP-2", 1, money(JPY, "5"))),
                    Optional.of(new ShippingAddress("Taro Yamada", "1-1 Chiyoda", null, "Tokyo", null, "100-0001", "JP")),
                    Map.of("note", "leave at door"));
        }
        if (currency.equals(BHD)) {
            return new OrderSubmission(new CustomerId("cust-bh"), BHD,
                    List.of(line("BH-1", 2, money(BHD, "1.255")), line("BH-2", 10_000, money(BHD, "0.001"))),
                    Optional.empty(), Map.of());
        }
        return TestOrders.submission();
    }

    private static OrderConfirmed event(OrderId id, Currency currency, Instant confirmedAt) {
        PendingOrder pending = TestOrders.pending(id, submissionIn(currency));
        return OrderConfirmed.of(new ConfirmedOrder(pending, new OrderNumber(42), confirmedAt,
                OrderFingerprint.of(pending.submission())));
    }

    private static OrderConfirmed eurEvent() {
        return event(TestOrders.orderId(1), EUR, CONFIRMED_AT);
    }

    static Stream<Arguments> currencies() {
        return Stream.of(
                arguments(EUR, "25.99", "12.50", "25.00"),
                arguments(JPY, "3605", "1200", "3600"),
                arguments(BHD, "12.510", "1.255", "2.510"));
    }

    // ---------------------------------------------------------------- the schema accepts what write produces

    @ParameterizedTest
    @MethodSource("currencies")
    void write_whenEventIsValid_conformsToSchema(Currency currency) {
        String detail = OrderConfirmedJson.write(event(TestOrders.orderId(7), currency, CONFIRMED_AT));

        assertThat(validate(detail)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("currencies")
    void write_whenEventIsValid_writesAmountsAsStringsAtCurrencyScale(Currency currency, String total, String unitPrice,
                                                                     String lineTotal) {
        JsonNode detail = OrderJson.parse(OrderConfirmedJson.write(event(TestOrders.orderId(7), currency, CONFIRMED_AT)));

        assertThat(detail.get("currency").textValue()).isEqualTo(currency.code());
        assertThat(detail.get("total").textValue()).isEqualTo(total);
        assertThat(detail.at("/lines/0/unitPrice").textValue()).isEqualTo(unitPrice);
        assertThat(detail.at("/lines/0/lineTotal").textValue()).isEqualTo(lineTotal);
    }

    @Test
    void write_whenEventIsWritten_carriesEveryFieldOfTheContract() {
        OrderConfirmed e = eurEvent();

        JsonNode detail = OrderJson.parse(OrderConfirmedJson.write(e));

        assertThat(detail.get("schemaVersion").intValue()).isEqualTo(1);
        assertThat(detail.get("eventId").textValue()).isEqualTo(OrderConfirmed.eventIdFor(e.orderId()));
        assertThat(detail.get("orderId").textValue()).isEqualTo(e.orderId().value());
        assertThat(detail.get("orderNumber").textValue()).isEqualTo("ORD-0000000042");
        assertThat(detail.get("customerId").textValue()).isEqualTo("cust-42");
        assertThat(detail.get("submittedAt").textValue()).isEqualTo("2026-11-26T10:00:00.123Z");
        assertThat(detail.get("confirmedAt").textValue()).isEqualTo("2026-11-26T10:00:02.500Z");
        assertThat(detail.get("lines")).hasSize(2);
        assertThat(detail.at("/lines/1/quantity").intValue()).isEqualTo(1);
    }

    @Test
    void write_whenOrderHasAddressAndAttributes_leavesPersonalDataOffTheEvent() {
        OrderConfirmed e = eurEvent();

        String detail = OrderConfirmedJson.write(e);
        JsonNode node = OrderJson.parse(detail);

        assertThat(node.has("shippingAddress")).isFalse();
        assertThat(node.has("attributes")).isFalse();
        assertThat(detail).doesNotContain("Ada Lovelace", "St James", "SW1Y", "London", "giftWrap", "channel");
    }

    // ---------------------------------------------------------------- the schema rejects tampered events

    static Stream<Arguments> tamperings() {
        return Stream.of(
                arguments(named("extra field", (Consumer<ObjectNode>) d -> d.put("shippingAddress", "x"))),
                arguments(named("extra line field", (Consumer<ObjectNode>) d -> line0(d).put("discount", "1.00"))),
                arguments(named("numeric total", (Consumer<ObjectNode>) d -> d.put("total", 25.99))),
                arguments(named("numeric unitPrice", (Consumer<ObjectNode>) d -> line0(d).put("unitPrice", 12.5))),
                arguments(named("total with exponent", (Consumer<ObjectNode>) d -> d.put("total", "2.599E1"))),
                arguments(named("negative lineTotal", (Consumer<ObjectNode>) d -> line0(d).put("lineTotal", "-25.00"))),
                arguments(named("missing eventId", (Consumer<ObjectNode>) d -> d.remove("eventId"))),
                arguments(named("missing lineTotal", (Consumer<ObjectNode>) d -> line0(d).remove("lineTotal"))),
                arguments(named("upper-case eventId", (Consumer<ObjectNode>) d -> d.put("eventId",
                        d.get("eventId").textValue().toUpperCase()))),
                arguments(named("schemaVersion 2", (Consumer<ObjectNode>) d -> d.put("schemaVersion", 2))),
                arguments(named("short orderNumber", (Consumer<ObjectNode>) d -> d.put("orderNumber", "ORD-42"))),
                arguments(named("lower-case currency", (Consumer<ObjectNode>) d -> d.put("currency", "eur"))),
                arguments(named("quantity 0", (Consumer<ObjectNode>) d -> line0(d).put("quantity", 0))),
                arguments(named("quantity as string", (Consumer<ObjectNode>) d -> line0(d).put("quantity", "2"))),
                arguments(named("no lines", (Consumer<ObjectNode>) d -> d.putArray("lines"))),
                arguments(named("submittedAt not a date-time", (Consumer<ObjectNode>) d -> d.put("submittedAt", "yesterday"))),
                arguments(named("confirmedAt epoch millis", (Consumer<ObjectNode>) d -> d.put("confirmedAt", 1_764_151_202_500L))));
    }

    private static ObjectNode line0(ObjectNode detail) {
        return (ObjectNode) detail.get("lines").get(0);
    }

    @ParameterizedTest
    @MethodSource("tamperings")
    void validate_whenEventIsTampered_failsSchema(Consumer<ObjectNode> tampering) {
        ObjectNode detail = (ObjectNode) OrderJson.parse(OrderConfirmedJson.write(eurEvent()));
        assertThat(validate(detail)).as("untampered event").isEmpty();

        tampering.accept(detail);

        assertThat(validate(detail)).isNotEmpty();
    }

    @Test
    void validate_whenLinesExceedMaximum_failsSchema() {
        ObjectNode detail = (ObjectNode) OrderJson.parse(OrderConfirmedJson.write(eurEvent()));
        ArrayNode lines = detail.putArray("lines");
        for (int i = 0; i < 101; i++) {
            lines.addObject().put("sku", "S" + i).put("quantity", 1).put("unitPrice", "1.00").put("lineTotal", "1.00");
        }

        assertThat(validate(detail)).isNotEmpty();
    }

    // ---------------------------------------------------------------- eventId

    @Test
    void eventId_whenSameOrderIsConfirmedAtDifferentTimes_isTheSame() {
        OrderConfirmed first = event(TestOrders.orderId(1), EUR, CONFIRMED_AT);
        OrderConfirmed second = event(TestOrders.orderId(1), EUR, CONFIRMED_AT.plusSeconds(3600));

        assertThat(second.eventId()).isEqualTo(first.eventId());
        assertThat(OrderJson.parse(OrderConfirmedJson.write(second)).get("eventId"))
                .isEqualTo(OrderJson.parse(OrderConfirmedJson.write(first)).get("eventId"));
    }

    @Test
    void eventId_whenOrdersDiffer_differs() {
        OrderConfirmed first = event(TestOrders.orderId(1), EUR, CONFIRMED_AT);
        OrderConfirmed second = event(TestOrders.orderId(2), EUR, CONFIRMED_AT);

        assertThat(second.eventId()).isNotEqualTo(first.eventId());
    }

    @Test
    void eventId_whenDerived_isLowerCaseCanonicalUuidDistinctFromOrderId() {
        OrderId id = TestOrders.orderId(1);

        assertThat(OrderConfirmed.eventIdFor(id))
                .matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
                .isNotEqualTo(id.value());
    }

    @Test
    void constructor_whenEventIdIsNotDerivedFromOrderId_rejectsEvent() {
        OrderConfirmed e = eurEvent();

        assertThatThrownBy(() -> new OrderConfirmed(OrderConfirmed.eventIdFor(TestOrders.orderId(2)), e.orderId(),
                e.orderNumber(), e.customerId(), e.currency(), e.lines(), e.total(), e.submittedAt(), e.confirmedAt()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- the wire form, pinned

    /**
     * The exact bytes subscribers receive. A change here is a change to the published contract: see
     * {@code modules/order-events/README.md} before updating a golden file.
     */
    @ParameterizedTest
    @MethodSource("currencies")
    void write_whenEventIsWritten_matchesGoldenFile(Currency currency) throws Exception {
        String golden = "/golden/order-confirmed-v1-" + currency.code().toLowerCase() + ".json";
        String detail = OrderConfirmedJson.write(event(TestOrders.orderId(7), currency, CONFIRMED_AT));
        if (Boolean.getBoolean("golden.write")) {
            java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources" + golden), detail + "\n");
        }

        try (var in = OrderConfirmedJsonTest.class.getResourceAsStream(golden)) {
            assertThat(in).as(golden).isNotNull();
            assertThat(detail).isEqualTo(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
    }

    // ---------------------------------------------------------------- read

    @ParameterizedTest
    @MethodSource("currencies")
    void read_whenDetailWasWrittenByWrite_givesEqualEvent(Currency currency) {
        OrderConfirmed e = event(TestOrders.orderId(3), currency, CONFIRMED_AT);

        assertThat(OrderConfirmedJson.read(OrderConfirmedJson.write(e))).isEqualTo(e);
    }

    @Test
    void read_whenEventIdWasTampered_rejectsDetail() {
        ObjectNode detail = (ObjectNode) OrderJson.parse(OrderConfirmedJson.write(eurEvent()));
        detail.put("eventId", OrderConfirmed.eventIdFor(TestOrders.orderId(99)));

        assertThatThrownBy(() -> OrderConfirmedJson.read(OrderJson.write(detail)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
