package dev.orderpipeline.stack;

import static dev.orderpipeline.stack.StackTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import dev.orderpipeline.events.OrderConfirmedV1;
import dev.orderpipeline.events.OrderConfirmedV1Json;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Schema Registry entry in template.yaml is the JSON Schema Draft 4 form (what the registry accepts) of the one
 * source, order-events' {@code order-confirmed-v1.schema.json} (2020-12). The conversion is mechanical; this test
 * performs it and demands the template's content be exactly its result, so the two cannot drift.
 */
class EventSchemaRegistryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static StackTemplate template;
    private static JsonNode source;
    private static JsonNode registered;

    @BeforeAll
    static void load() throws Exception {
        template = StackTemplate.load();
        try (InputStream in = OrderConfirmedV1Json.class.getResourceAsStream(OrderConfirmedV1Json.SCHEMA_RESOURCE)) {
            source = MAPPER.readTree(in);
        }
        registered = MAPPER.readTree((String) template.properties("OrderConfirmedSchema").get("Content"));
    }

    @Test
    void schemaRegistry_content_isTheDraft4FormOfTheOrderEventsSchema() {
        assertThat(registered.get("$schema").textValue()).isEqualTo("http://json-schema.org/draft-04/schema#");
        assertThat(registered.at("/properties/detail/$ref").textValue()).isEqualTo("#/definitions/OrderConfirmedV1");
        assertThat(registered.at("/properties/detail-type/enum/0").textValue()).isEqualTo(OrderConfirmedV1.DETAIL_TYPE);

        assertThat(registered.at("/definitions/OrderConfirmedV1"))
                .as("template.yaml OrderConfirmedSchema detail vs order-confirmed-v1.schema.json; regenerate the Content")
                .isEqualTo(toDraft4(source));
        Iterator<Map.Entry<String, JsonNode>> defs = source.get("$defs").fields();
        while (defs.hasNext()) {
            Map.Entry<String, JsonNode> def = defs.next();
            assertThat(registered.at("/definitions/" + def.getKey())).as("definition %s", def.getKey())
                    .isEqualTo(toDraft4(def.getValue()));
        }
    }

    @Test
    void schemaRegistry_schemaLivesInTheStacksRegistry_asJsonSchemaDraft4() {
        Map<String, Object> schema = template.properties("OrderConfirmedSchema");
        assertThat(template.type("OrderEventsSchemaRegistry")).isEqualTo("AWS::EventSchemas::Registry");
        assertThat(template.type("OrderConfirmedSchema")).isEqualTo("AWS::EventSchemas::Schema");
        assertThat(schema.get("Type")).isEqualTo("JSONSchemaDraft4");
        assertThat(map(schema.get("RegistryName"), "RegistryName").get("Fn::GetAtt"))
                .isEqualTo(List.of("OrderEventsSchemaRegistry", "RegistryName"));
    }

    @Test
    void bothSchemaForms_whenTheProducersEventIsValidated_acceptItAndRefuseATamperedOne() throws Exception {
        // written by the same writer the confirmation function publishes with
        ObjectNode detail = OrderConfirmedV1Json.toJson(new OrderConfirmedV1("38d0376c-061e-38d8-b4c1-c6d59ec00b45",
                "f92f1972-f46c-34b2-9624-1b14e1f13791", "ORD-0000000042", "cust-42", "EUR",
                List.of(new OrderConfirmedV1.Line("SKU-1", 2, new BigDecimal("12.50"), new BigDecimal("25.00"))),
                new BigDecimal("25.00"), Instant.parse("2026-11-26T10:00:00.123Z"), Instant.parse("2026-11-26T10:00:02.500Z")));
        ObjectNode event = JsonNodeFactory.instance.objectNode()
                .put("detail-type", "OrderConfirmed").put("source", "order-pipeline");
        event.set("detail", detail);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        JsonSchema draft4 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(registered, config);
        JsonSchema draft2020 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(source, config);

        assertThat(draft4.validate(event)).isEmpty();
        assertThat(draft2020.validate(detail)).isEmpty();

        detail.put("total", 25.00);
        assertThat(draft4.validate(event)).as("numeric total, Draft 4 form").isNotEmpty();
        assertThat(draft2020.validate(detail)).as("numeric total, 2020-12 form").isNotEmpty();
    }

    /** 2020-12 → Draft 4: no $schema/$id inside, const → single-value enum, $defs → definitions. */
    static JsonNode toDraft4(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(toDraft4(n)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(f -> {
            switch (f.getKey()) {
                case "$schema", "$id", "$defs" -> { }
                case "const" -> out.putArray("enum").add(f.getValue());
                case "$ref" -> out.put("$ref", f.getValue().textValue().replace("#/$defs/", "#/definitions/"));
                default -> out.set(f.getKey(), toDraft4(f.getValue()));
            }
        });
        return out;
    }
}
