package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ExpressionAttributeNames and ExpressionAttributeValues of one request (or one transaction item), shared by
 * all its expressions. It remembers which placeholders were used because DynamoDB rejects a request that
 * defines a placeholder no expression uses.
 */
final class ExpressionContext {
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();
    private final Set<String> usedNames = new LinkedHashSet<>();
    private final Set<String> usedValues = new LinkedHashSet<>();
    private boolean anyExpression;

    ExpressionContext(JsonNode names, JsonNode values) {
        if (names != null && !names.isNull()) {
            if (!names.isObject() || names.isEmpty()) {
                throw ApiException.validation("ExpressionAttributeNames must not be empty");
            }
            names.properties().forEach(e -> {
                if (!e.getValue().isTextual()) {
                    throw ApiException.serialization("ExpressionAttributeNames values must be strings");
                }
                this.names.put(e.getKey(), e.getValue().textValue());
            });
        }
        if (values != null && !values.isNull()) {
            if (!values.isObject() || values.isEmpty()) {
                throw ApiException.validation("ExpressionAttributeValues must not be empty");
            }
            values.properties().forEach(e -> this.values.put(e.getKey(), AttributeValue.fromJson(e.getValue())));
        }
    }

    static ExpressionContext of(Request request) {
        return new ExpressionContext(request.node("ExpressionAttributeNames"),
                request.node("ExpressionAttributeValues"));
    }

    /** Records that an expression was given, so that defined placeholders are legitimate. */
    void expressionSeen() {
        anyExpression = true;
    }

    /** The attribute name for {@code #placeholder}, or null if it is not defined. */
    String name(String placeholder) {
        String name = names.get(placeholder);
        if (name != null) {
            usedNames.add(placeholder);
        }
        return name;
    }

    /** The value for {@code :placeholder}, or null if it is not defined. */
    AttributeValue value(String placeholder) {
        AttributeValue value = values.get(placeholder);
        if (value != null) {
            usedValues.add(placeholder);
        }
        return value;
    }

    /** Call after all expressions of the request are parsed. */
    void requireAllUsed() {
        if (!anyExpression && !names.isEmpty()) {
            throw ApiException.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        if (!anyExpression && !values.isEmpty()) {
            throw ApiException.validation("ExpressionAttributeValues can only be specified when using expressions");
        }
        Set<String> unusedNames = new LinkedHashSet<>(names.keySet());
        unusedNames.removeAll(usedNames);
        if (!unusedNames.isEmpty()) {
            throw ApiException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        Set<String> unusedValues = new LinkedHashSet<>(values.keySet());
        unusedValues.removeAll(usedValues);
        if (!unusedValues.isEmpty()) {
            throw ApiException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }
}
