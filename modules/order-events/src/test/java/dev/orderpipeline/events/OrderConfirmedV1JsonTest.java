package dev.orderpipeline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderConfirmedV1JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final OrderConfirmedV1 EUR = new OrderConfirmedV1("38d0376c-061e-38d8-b4c1-c6d59ec00b45",
            "f92f1972-f46c-34b2-9624-1b14e1f13791", "ORD-0000000042", "cust-42", "EUR",
            List.of(new OrderConfirmedV1.Line("SKU-1", 2, new BigDecimal("12.50"), new BigDecimal("25.00")),
                    new OrderConfirmedV1.Line("SKU-2", 1, new BigDecimal("0.99"), new BigDecimal("0.99"))),
            new BigDecimal("25.99"), Instant.parse("2026-11-26T10:00:00.123Z"), Instant.parse("2026-11-26T10:00:02.500Z"));

    private static final OrderConfirmedV1 JPY = new OrderConfirmedV1("38d0376c-061e-38d8-b4c1-c6d59ec00b45",
            "f92f1972-f46c-34b2-9624-1b14e1f13791", "ORD-0000000043", "cust-jp", "JPY",
            List.of(new OrderConfirmedV1.Line("JP-1", 3, new BigDecimal("1200"), new BigDecimal("3600"))),
            new BigDecimal("3600"), Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T10:00:02.500Z"));

    static String resource(String name) {
        try (InputStream in = OrderConfirmedV1JsonTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> goldens() {
        return Stream.of(Arguments.of(EUR, "/golden/order-confirmed-v1.json"),
                Arguments.of(JPY, "/golden/order-confirmed-v1-jpy.json"));
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void write_whenEventIsWritten_matchesGoldenFileByteForByte(OrderConfirmedV1 event, String golden) {
        assertThat(OrderConfirmedV1Json.write(event)).isEqualTo(resource(golden));
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void read_whenGoldenFileIsRead_givesTheEventWithItsScale(OrderConfirmedV1 event, String golden) {
        OrderConfirmedV1 read = OrderConfirmedV1Json.read(resource(golden));

        assertThat(read).isEqualTo(event);
        assertThat(read.total().scale()).isEqualTo(event.total().scale());
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void schema_whenGoldenFileIsValidated_acceptsIt(OrderConfirmedV1 event, String golden) throws Exception {
        JsonSchema schema;
        try (InputStream in = OrderConfirmedV1Json.class.getResourceAsStream(OrderConfirmedV1Json.SCHEMA_RESOURCE)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in,
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }

        assertThat(schema.validate(MAPPER.readTree(resource(golden)))).isEmpty();
    }

    @Test
    void readEventBridgeEvent_whenFieldsWereAddedWithinV1_ignoresThemAndReadsTheRest() {
        OrderConfirmedV1 read = OrderConfirmedV1Json.readEventBridgeEvent(
                resource("/golden/order-confirmed-v1-eventbridge-with-unknown-fields.json"));

        assertThat(read).isEqualTo(EUR);
    }

    @Test
    void readEventBridgeEvent_whenDetailTypeIsAnother_refusesNamingIt() {
        String event = "{\"detail-type\":\"OrderCancelled\",\"detail\":" + resource("/golden/order-confirmed-v1.json") + "}";

        assertThatThrownBy(() -> OrderConfirmedV1Json.readEventBridgeEvent(event))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("detail-type:")
                .extracting(e -> ((InvalidEventException) e).field()).isEqualTo("detail-type");
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("eventId", (Consumer<ObjectNode>) d -> d.remove("eventId")),
                Arguments.of("customerId", (Consumer<ObjectNode>) d -> d.putNull("customerId")),
                Arguments.of("total", (Consumer<ObjectNode>) d -> d.put("total", 25.99)),
                Arguments.of("lines", (Consumer<ObjectNode>) d -> d.putArray("lines")),
                Arguments.of("lines[1].sku", (Consumer<ObjectNode>) d -> ((ObjectNode) d.get("lines").get(1)).remove("sku")),
                Arguments.of("lines[0].quantity", (Consumer<ObjectNode>) d -> ((ObjectNode) d.get("lines").get(0)).put("quantity", "2")),
                Arguments.of("lines[0].lineTotal", (Consumer<ObjectNode>) d -> ((ObjectNode) d.get("lines").get(0)).remove("lineTotal")),
                Arguments.of("confirmedAt", (Consumer<ObjectNode>) d -> d.put("confirmedAt", "yesterday")),
                Arguments.of("schemaVersion", (Consumer<ObjectNode>) d -> d.put("schemaVersion", 2)),
                Arguments.of("schemaVersion", (Consumer<ObjectNode>) d -> d.remove("schemaVersion")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void read_whenRequiredFieldIsMissingOrMistyped_refusesNamingTheField(String field, Consumer<ObjectNode> breakage)
            throws Exception {
        ObjectNode detail = (ObjectNode) MAPPER.readTree(resource("/golden/order-confirmed-v1.json"));
        breakage.accept(detail);

        assertThatThrownBy(() -> OrderConfirmedV1Json.read(detail.toString()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(field + ": ")
                .extracting(e -> ((InvalidEventException) e).field()).isEqualTo(field);
    }

    @Test
    void read_whenDocumentIsNotJson_refusesWithoutQuotingIt() {
        assertThatThrownBy(() -> OrderConfirmedV1Json.read("{\"customerId\": \"secret-customer\""))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("$: not well-formed JSON")
                .hasMessageNotContaining("secret-customer");
    }

    @Test
    void toJson_whenWritten_keepsAmountsAsStrings() {
        JsonNode json = OrderConfirmedV1Json.toJson(JPY);

        assertThat(json.get("total").isTextual()).isTrue();
        assertThat(json.at("/lines/0/unitPrice").textValue()).isEqualTo("1200");
    }
}
