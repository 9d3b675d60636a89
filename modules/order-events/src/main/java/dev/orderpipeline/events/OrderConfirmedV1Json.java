package dev.orderpipeline.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of {@link OrderConfirmedV1}: the one writer the producer uses and the reader subscribers use.
 *
 * <p>The reader is tolerant where v1 may grow and strict where it may not: fields it does not know are ignored (a
 * later v1 may add optional fields), a missing or mistyped required field is refused with an
 * {@link InvalidEventException} naming it, and a {@code schemaVersion} other than 1 is refused (a v2 is a different
 * contract, published alongside v1; see the module README).
 */
public final class OrderConfirmedV1Json {
    /** Classpath location of the JSON Schema (2020-12) of the detail; the producer's exact output conforms to it. */
    public static final String SCHEMA_RESOURCE = "/schemas/order-confirmed-v1.schema.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private OrderConfirmedV1Json() {
    }

    /** Compact JSON, fields in the schema's order, amounts as decimal strings at their scale. */
    public static String write(OrderConfirmedV1 e) {
        try {
            return MAPPER.writeValueAsString(toJson(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a JSON tree always serialises", ex);
        }
    }

    public static ObjectNode toJson(OrderConfirmedV1 e) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", OrderConfirmedV1.SCHEMA_VERSION);
        root.put("eventId", e.eventId());
        root.put("orderId", e.orderId());
        root.put("orderNumber", e.orderNumber());
        root.put("customerId", e.customerId());
        root.put("currency", e.currency());
        ArrayNode lines = root.putArray("lines");
        for (OrderConfirmedV1.Line line : e.lines()) {
            lines.addObject()
                    .put("sku", line.sku())
                    .put("quantity", line.quantity())
                    .put("unitPrice", line.unitPrice().toPlainString())
                    .put("lineTotal", line.lineTotal().toPlainString());
        }
        root.put("total", e.total().toPlainString());
        root.put("submittedAt", e.submittedAt().toString());
        root.put("confirmedAt", e.confirmedAt().toString());
        return root;
    }

    /** Reads the {@code detail} of an OrderConfirmed event. */
    public static OrderConfirmedV1 read(String detail) {
        return read(parse(detail, "$"));
    }

    /**
     * Reads a whole EventBridge event (as an EventBridge → SQS target delivers it: {@code detail-type},
     * {@code source}, {@code detail}, ...), refusing any other detail-type.
     */
    public static OrderConfirmedV1 readEventBridgeEvent(String event) {
        JsonNode root = parse(event, "$");
        String detailType = text(root, "detail-type", "detail-type");
        if (!OrderConfirmedV1.DETAIL_TYPE.equals(detailType)) {
            throw new InvalidEventException("detail-type", "expected " + OrderConfirmedV1.DETAIL_TYPE);
        }
        JsonNode detail = root.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new InvalidEventException("detail", detail == null ? "missing required field" : "must be an object");
        }
        return read(detail);
    }

    public static OrderConfirmedV1 read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("$", "must be a JSON object");
        }
        JsonNode version = required(root, "schemaVersion", "schemaVersion");
        if (!version.isIntegralNumber() || version.intValue() != OrderConfirmedV1.SCHEMA_VERSION) {
            throw new InvalidEventException("schemaVersion", "expected 1 (this reader reads v1 only)");
        }
        JsonNode linesNode = required(root, "lines", "lines");
        if (!linesNode.isArray() || linesNode.isEmpty()) {
            throw new InvalidEventException("lines", "must be a non-empty array");
        }
        List<OrderConfirmedV1.Line> lines = new ArrayList<>();
        for (int i = 0; i < linesNode.size(); i++) {
            String path = "lines[" + i + "]";
            JsonNode l = linesNode.get(i);
            if (!l.isObject()) {
                throw new InvalidEventException(path, "must be an object");
            }
            JsonNode quantity = required(l, "quantity", path + ".quantity");
            if (!quantity.isIntegralNumber() || !quantity.canConvertToInt() || quantity.intValue() < 1) {
                throw new InvalidEventException(path + ".quantity", "must be an integer of at least 1");
            }
            lines.add(new OrderConfirmedV1.Line(text(l, "sku", path + ".sku"), quantity.intValue(),
                    amount(l, "unitPrice", path + ".unitPrice"), amount(l, "lineTotal", path + ".lineTotal")));
        }
        return new OrderConfirmedV1(text(root, "eventId", "eventId"), text(root, "orderId", "orderId"),
                text(root, "orderNumber", "orderNumber"), text(root, "customerId", "customerId"),
                text(root, "currency", "currency"), lines, amount(root, "total", "total"),
                instant(root, "submittedAt"), instant(root, "confirmedAt"));
    }

    private static JsonNode parse(String json, String path) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException(path, "empty document");
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // the location says where; the message would quote content
            throw new InvalidEventException(path, "not well-formed JSON at " + e.getLocation(), e);
        }
    }

    private static JsonNode required(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw new InvalidEventException(path, "missing required field");
        }
        return node;
    }

    private static String text(JsonNode parent, String name, String path) {
        JsonNode node = required(parent, name, path);
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw new InvalidEventException(path, "must be a non-empty string");
        }
        return node.textValue();
    }

    private static BigDecimal amount(JsonNode parent, String name, String path) {
        String text = text(parent, name, path);
        if (!text.matches("(0|[1-9][0-9]*)(\\.[0-9]{1,3})?")) {
            throw new InvalidEventException(path, "must be a decimal string such as \"12.50\"");
        }
        return new BigDecimal(text);
    }

    private static Instant instant(JsonNode parent, String name) {
        String text = text(parent, name, name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(name, "must be an ISO-8601 instant such as 2026-11-26T10:00:02.500Z", e);
        }
    }
}
