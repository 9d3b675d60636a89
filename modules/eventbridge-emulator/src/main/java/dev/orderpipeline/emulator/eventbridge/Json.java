package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** JSON plumbing shared by the operations: one mapper, and typed access to request fields. */
final class Json {
    /**
     * Numbers keep the exact text they arrived with ({@code 12.50} stays {@code 12.50}): event detail is forwarded to
     * targets, and money amounts must not be rounded through a double or lose their scale on the way.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static Optional<String> optionalText(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new ApiException(400, "SerializationException", "Field " + field + " must be a string");
        }
        return Optional.of(value.textValue());
    }

    static String requiredText(JsonNode request, String field) {
        return optionalText(request, field).orElseThrow(() -> ApiException.notNull(memberName(field)));
    }

    /** A required name checked against the constraint the EventBridge API model puts on it. */
    static String requiredName(JsonNode request, String field, Pattern pattern, int maxLength) {
        String name = requiredText(request, field);
        if (name.isEmpty() || name.length() > maxLength) {
            throw ApiException.validation("1 validation error detected: Value '" + name + "' at '" + memberName(field)
                    + "' failed to satisfy constraint: Member must have length between 1 and " + maxLength);
        }
        if (!pattern.matcher(name).matches()) {
            throw ApiException.validation("1 validation error detected: Value '" + name + "' at '" + memberName(field)
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern);
        }
        return name;
    }

    static ArrayNode requiredArray(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.notNull(memberName(field));
        }
        if (!value.isArray()) {
            throw new ApiException(400, "SerializationException", "Field " + field + " must be a list");
        }
        return (ArrayNode) value;
    }

    static List<ObjectNode> requiredObjects(JsonNode request, String field) {
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode element : requiredArray(request, field)) {
            if (!element.isObject()) {
                throw new ApiException(400, "SerializationException",
                        "Every element of " + field + " must be an object");
            }
            objects.add((ObjectNode) element);
        }
        return objects;
    }

    static Optional<Integer> optionalInt(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw new ApiException(400, "SerializationException", "Field " + field + " must be an integer");
        }
        return Optional.of(value.intValue());
    }

    /**
     * A timestamp as the SDKs send it in AWS JSON 1.1: epoch seconds with a fractional part; ISO-8601 text is accepted
     * too for hand-written requests.
     */
    static Optional<Instant> optionalTimestamp(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            if (value.isNumber()) {
                BigDecimal seconds = value.decimalValue();
                long whole = seconds.longValue();
                long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
                return Optional.of(Instant.ofEpochSecond(whole, nanos));
            }
            return Optional.of(Instant.parse(value.asText()));
        } catch (RuntimeException e) {
            throw new ApiException(400, "SerializationException", "Field " + field + " is not a valid timestamp");
        }
    }

    /** Epoch seconds with milliseconds, the timestamp format of AWS JSON 1.1 responses. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** The API model's member name as AWS validation messages spell it: {@code EventBusName} → {@code eventBusName}. */
    private static String memberName(String field) {
        return Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }
}
