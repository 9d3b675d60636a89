package dev.orderpipeline.emulator.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed UpdateExpression: SET, REMOVE, ADD and DELETE actions on paths that do not overlap.
 *
 * <p>As in DynamoDB, every right-hand side is evaluated against the item as it was before the update, and list
 * indexes refer to the original positions (removals are applied last, highest index first).
 */
final class UpdateExpression {

    /** A value on the right-hand side of a SET action. */
    interface Value {
        AttributeValue evaluate(Map<String, AttributeValue> item);
    }

    record PathValue(DocumentPath path) implements Value {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue value = path.resolve(item);
            if (value == null) {
                throw ApiException.validation(
                        "The provided expression refers to an attribute that does not exist in the item");
            }
            return value;
        }
    }

    record LiteralValue(AttributeValue value) implements Value {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return value;
        }
    }

    record Arithmetic(Value left, Value right, boolean plus) implements Value {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue a = left.evaluate(item);
            AttributeValue b = right.evaluate(item);
            if (a.type() != AttributeValue.Type.N || b.type() != AttributeValue.Type.N) {
                throw incorrectDataType();
            }
            return AttributeValue.number(plus ? a.number().add(b.number()) : a.number().subtract(b.number()));
        }
    }

    enum ActionType { SET, REMOVE, ADD, DELETE }

    /** {@code value} is a {@link Value} for SET, an {@link AttributeValue} for ADD and DELETE, null for REMOVE. */
    record Action(ActionType type, DocumentPath path, Object value) {
    }

    private final List<Action> actions;

    UpdateExpression(List<Action> actions) {
        this.actions = List.copyOf(actions);
    }

    /** The paths this update writes; they make up the UPDATED_OLD and UPDATED_NEW return values. */
    List<DocumentPath> paths() {
        return actions.stream().map(Action::path).toList();
    }

    /** The top-level attribute names this update writes. */
    Set<String> topLevelNames() {
        Set<String> names = new LinkedHashSet<>();
        actions.forEach(action -> names.add(action.path().topLevelName()));
        return names;
    }

    Map<String, AttributeValue> apply(Map<String, AttributeValue> original) {
        List<AttributeValue> setValues = new ArrayList<>();
        for (Action action : actions) {
            if (action.type() == ActionType.SET) {
                setValues.add(((Value) action.value()).evaluate(original));
            }
        }
        Map<String, AttributeValue> item = original;
        int nextSetValue = 0;
        List<DocumentPath> removals = new ArrayList<>();
        for (Action action : actions) {
            switch (action.type()) {
                case SET -> item = action.path().set(item, setValues.get(nextSetValue++));
                case ADD -> item = add(item, action.path(), (AttributeValue) action.value());
                case DELETE -> item = delete(item, action.path(), (AttributeValue) action.value());
                case REMOVE -> removals.add(action.path());
            }
        }
        removals.sort(UpdateExpression::higherIndexFirst);
        for (DocumentPath path : removals) {
            item = path.remove(item);
        }
        return item;
    }

    private static Map<String, AttributeValue> add(Map<String, AttributeValue> item, DocumentPath path,
                                                   AttributeValue operand) {
        AttributeValue current = path.resolve(item);
        if (current == null) {
            return path.set(item, operand);
        }
        if (current.type() != operand.type()) {
            throw incorrectDataType();
        }
        if (operand.type() == AttributeValue.Type.N) {
            return path.set(item, AttributeValue.number(current.number().add(operand.number())));
        }
        Set<Object> union = new LinkedHashSet<>(current.elements());
        union.addAll(operand.elements());
        return path.set(item, AttributeValue.set(operand.type(), union));
    }

    private static Map<String, AttributeValue> delete(Map<String, AttributeValue> item, DocumentPath path,
                                                      AttributeValue operand) {
        AttributeValue current = path.resolve(item);
        if (current == null) {
            return item;
        }
        if (current.type() != operand.type()) {
            throw incorrectDataType();
        }
        Set<Object> remaining = new LinkedHashSet<>(current.elements());
        remaining.removeAll(operand.elements());
        // DynamoDB has no empty sets: removing the last element removes the attribute
        return remaining.isEmpty() ? path.remove(item) : path.set(item, AttributeValue.set(operand.type(), remaining));
    }

    private static ApiException incorrectDataType() {
        return ApiException.validation("An operand in the update expression has an incorrect data type");
    }

    /**
     * Orders removals so that removing a list element never shifts an index another removal refers to: a
     * lexicographic order on path elements with list indexes descending.
     */
    private static int higherIndexFirst(DocumentPath a, DocumentPath b) {
        int common = Math.min(a.elements().size(), b.elements().size());
        for (int i = 0; i < common; i++) {
            Object x = a.elements().get(i);
            Object y = b.elements().get(i);
            int order;
            if (x instanceof Integer xi && y instanceof Integer yi) {
                order = Integer.compare(yi, xi);
            } else if (x instanceof String xs && y instanceof String ys) {
                order = xs.compareTo(ys);
            } else {
                order = x instanceof String ? -1 : 1;
            }
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(b.elements().size(), a.elements().size());
    }
}
