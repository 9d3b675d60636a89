package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, validated access to the members of one request object (a whole request, or one element of
 * TransactItems), with DynamoDB's validation messages.
 */
final class Request {
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    private final String operation;
    private final ObjectNode body;

    Request(String operation, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.serialization("Expected a JSON object for " + operation);
        }
        this.operation = operation;
        this.body = (ObjectNode) body;
    }

    /**
     * Refuses members this emulator does not implement, rather than silently ignoring them (e.g. the legacy
     * {@code Expected}, or {@code IndexName}): a test must not pass here and behave differently in AWS.
     */
    Request allowOnly(Set<String> members) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!members.contains(name) && !body.get(name).isNull()) {
                throw ApiException.unsupported("The " + operation + " parameter " + name);
            }
        }
        return this;
    }

    JsonNode node(String member) {
        JsonNode node = body.get(member);
        return node == null || node.isNull() ? null : node;
    }

    JsonNode requiredNode(String member) {
        JsonNode node = node(member);
        if (node == null) {
            throw ApiException.notNull(lowerCamel(member));
        }
        return node;
    }

    String string(String member) {
        JsonNode node = node(member);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.serialization("Expected a string for " + member);
        }
        return node.textValue();
    }

    String requiredString(String member) {
        String value = string(member);
        if (value == null) {
            throw ApiException.notNull(lowerCamel(member));
        }
        return value;
    }

    String tableName() {
        String name = requiredString("TableName");
        if (!TABLE_NAME.matcher(name).matches()) {
            throw ApiException.validation("1 validation error detected: Value '" + name + "' at 'tableName' failed "
                    + "to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and "
                    + "have length between 3 and 255");
        }
        return name;
    }

    /** An enum-like string member; {@code allowed} lists the values this operation accepts. */
    String choice(String member, String defaultValue, Set<String> allowed) {
        String value = string(member);
        if (value == null) {
            return defaultValue;
        }
        if (!allowed.contains(value)) {
            throw ApiException.validation("1 validation error detected: Value '" + value + "' at '" + lowerCamel(member)
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return value;
    }

    /** ReturnConsumedCapacity and ReturnItemCollectionMetrics: only NONE, as this emulator measures neither. */
    void requireNone(String member) {
        String value = string(member);
        if (value != null && !value.equals("NONE")) {
            throw ApiException.unsupported(member + " " + value);
        }
    }

    boolean bool(String member, boolean defaultValue) {
        JsonNode node = node(member);
        if (node == null) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw ApiException.serialization("Expected a boolean for " + member);
        }
        return node.booleanValue();
    }

    /** An integer member that must be at least {@code minimum}, or null if absent. */
    Integer integer(String member, int minimum) {
        JsonNode node = node(member);
        if (node == null) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw ApiException.serialization("Expected an integer for " + member);
        }
        int value = node.intValue();
        if (value < minimum) {
            throw ApiException.validation("1 validation error detected: Value '" + value + "' at '" + lowerCamel(member)
                    + "' failed to satisfy constraint: Member must have value greater than or equal to " + minimum);
        }
        return value;
    }

    Map<String, AttributeValue> item(String member) {
        return AttributeValue.itemFromJson(requiredNode(member), lowerCamel(member));
    }

    /** DynamoDB's validation messages name members in lowerCamelCase ({@code tableName}). */
    private static String lowerCamel(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }
}
