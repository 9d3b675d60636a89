package dev.orderpipeline.emulator.dynamodb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One conditional write on one item, parsed and validated against its table: the body of PutItem, UpdateItem
 * and of each Put, Update, Delete and ConditionCheck element of TransactWriteItems.
 */
final class ItemWrite {
    enum Kind { PUT, UPDATE, DELETE, CONDITION_CHECK }

    private final Kind kind;
    private final Table table;
    private final Map<String, AttributeValue> key;
    private final Table.PrimaryKey primaryKey;
    private final Map<String, AttributeValue> item;
    private final UpdateExpression update;
    private final Condition condition;
    private final boolean returnItemOnConditionFailure;

    /** Parses {@code request}; the caller has looked up {@code table} by the request's TableName. */
    ItemWrite(Kind kind, Request request, Table table) {
        this.kind = kind;
        this.table = table;
        ExpressionContext context = ExpressionContext.of(request);
        if (kind == Kind.PUT) {
            item = request.item("Item");
            primaryKey = table.keyOfItem(item);
            key = table.keyAttributes(item);
            requireWithinSizeLimit(item, "Item size has exceeded the maximum allowed size");
        } else {
            item = null;
            key = request.item("Key");
            primaryKey = table.keyOf(key);
        }
        update = kind == Kind.UPDATE ? updateExpression(request, context, table) : null;
        String conditionText = kind == Kind.CONDITION_CHECK
                ? request.requiredString("ConditionExpression") : request.string("ConditionExpression");
        condition = conditionText == null ? null
                : new ExpressionParser(conditionText, "ConditionExpression", context).condition();
        context.requireAllUsed();
        returnItemOnConditionFailure = "ALL_OLD".equals(
                request.choice("ReturnValuesOnConditionCheckFailure", "NONE", Set.of("ALL_OLD", "NONE")));
    }

    private static UpdateExpression updateExpression(Request request, ExpressionContext context, Table table) {
        String text = request.string("UpdateExpression");
        if (text == null) {
            return null;
        }
        UpdateExpression update = new ExpressionParser(text, "UpdateExpression", context).update();
        for (String name : update.topLevelNames()) {
            if (table.isKeyAttribute(name)) {
                throw ApiException.validation("One or more parameter values were invalid: Cannot update attribute "
                        + name + ". This attribute is part of the key");
            }
        }
        return update;
    }

    /** False for a ConditionCheck, which reads its item but writes nothing. */
    boolean writes() {
        return kind != Kind.CONDITION_CHECK;
    }

    Table table() {
        return table;
    }

    Table.PrimaryKey primaryKey() {
        return primaryKey;
    }

    /** The update's written paths, for UPDATED_OLD and UPDATED_NEW; null when there is no UpdateExpression. */
    UpdateExpression update() {
        return update;
    }

    /**
     * The item as this write leaves it, given the {@code current} one (null if absent): null means absent
     * afterwards. Throws ConditionalCheckFailedException, with the current item if the request asked for it.
     */
    Map<String, AttributeValue> apply(Map<String, AttributeValue> current) {
        if (condition != null && !condition.test(current == null ? Map.of() : current)) {
            throw ApiException.conditionalCheckFailed(returnItemOnConditionFailure ? current : null);
        }
        return switch (kind) {
            case PUT -> item;
            case DELETE -> null;
            case CONDITION_CHECK -> current;
            case UPDATE -> {
                Map<String, AttributeValue> base = current != null ? current : key;
                Map<String, AttributeValue> updated = update == null ? base : update.apply(base);
                requireWithinSizeLimit(updated, "Item size to update has exceeded the maximum allowed size");
                yield Collections.unmodifiableMap(new LinkedHashMap<>(updated));
            }
        };
    }

    /** Stores the result of {@link #apply} for this write's key. */
    void store(Map<String, AttributeValue> result) {
        if (kind == Kind.CONDITION_CHECK) {
            return;
        }
        if (result == null) {
            table.delete(primaryKey);
        } else {
            table.put(primaryKey, result);
        }
    }

    private static void requireWithinSizeLimit(Map<String, AttributeValue> item, String message) {
        if (AttributeValue.itemSize(item) > AttributeValue.MAX_ITEM_BYTES) {
            throw ApiException.validation(message);
        }
    }
}
