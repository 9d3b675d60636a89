package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orderpipeline.domain.json.OrderConfirmedJson;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;

/** Checks what a subscriber receives: the EventBridge envelope, and a detail that is OrderConfirmed v1. */
final class OrderConfirmedContract {
    private static final JsonSchema SCHEMA = load();

    private OrderConfirmedContract() {
    }

    private static JsonSchema load() {
        try (InputStream in = OrderConfirmedJson.class.getResourceAsStream(OrderConfirmedJson.SCHEMA_RESOURCE)) {
            assertThat(in).as("schema %s on the classpath", OrderConfirmedJson.SCHEMA_RESOURCE).isNotNull();
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the OrderConfirmed v1 schema (formats asserted) finds wrong with an event detail; empty when valid. */
    static Set<ValidationMessage> schemaViolations(JsonNode detail) {
        return SCHEMA.validate(detail);
    }

    /**
     * The envelope EventBridge delivers to an SQS target, for an OrderConfirmed of this pipeline, with a detail that
     * validates against the v1 schema and carries the order's deterministic event id.
     */
    static void assertValidEvent(JsonNode envelope, String region) {
        assertThat(envelope.has("version") && envelope.has("id") && envelope.has("detail-type") && envelope.has("source")
                && envelope.has("account") && envelope.has("time") && envelope.has("region") && envelope.has("resources")
                && envelope.has("detail"))
                .as("envelope has version, id, detail-type, source, account, time, region, resources, detail: %s", envelope)
                .isTrue();
        assertThat(envelope.get("version").asText()).as("envelope version").isEqualTo("0");
        assertThat(envelope.get("id").asText()).as("envelope id").isNotBlank();
        assertThat(envelope.get("detail-type").asText()).as("detail-type").isEqualTo(OrderConfirmed.DETAIL_TYPE);
        assertThat(envelope.get("source").asText()).as("source").isEqualTo(PipelineResources.EVENT_SOURCE);
        assertThat(envelope.get("account").asText()).as("account").matches("\\d{12}");
        assertThat(Instant.parse(envelope.get("time").asText())).as("time").isBeforeOrEqualTo(Instant.now());
        assertThat(envelope.get("region").asText()).as("region").isEqualTo(region);
        assertThat(envelope.get("resources").isArray()).as("resources is an array").isTrue();

        JsonNode detail = envelope.get("detail");
        Set<ValidationMessage> violations = SCHEMA.validate(detail);
        assertThat(violations).as("OrderConfirmed v1 schema violations of %s", detail).isEmpty();
        String orderId = detail.get("orderId").asText();
        assertThat(detail.get("eventId").asText()).as("eventId of order %s", orderId)
                .isEqualTo(OrderConfirmed.eventIdFor(new OrderId(orderId)));
    }
}
