package dev.orderpipeline.emulator.dynamodb;

import java.util.Map;

/**
 * A parsed ConditionExpression, FilterExpression or KeyConditionExpression.
 *
 * <p>As in DynamoDB, a comparison involving an undefined operand (a missing attribute) or operands of different
 * types is false, except {@code <>}, which is true: a missing attribute is not equal to anything.
 */
interface Condition {

    boolean test(Map<String, AttributeValue> item);

    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        boolean ordering() {
            return this != EQ && this != NE;
        }

        static Comparator of(String symbol) {
            for (Comparator c : values()) {
                if (c.symbol.equals(symbol)) {
                    return c;
                }
            }
            return null;
        }
    }

    record Compare(Comparator comparator, Operand left, Operand right) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = left.evaluate(item);
            AttributeValue b = right.evaluate(item);
            if (comparator == Comparator.EQ || comparator == Comparator.NE) {
                boolean equal = a != null && a.equals(b);
                return comparator == Comparator.EQ ? equal : !equal;
            }
            if (!comparable(a, b)) {
                return false;
            }
            int order = AttributeValue.compare(a, b);
            return switch (comparator) {
                case LT -> order < 0;
                case LE -> order <= 0;
                case GT -> order > 0;
                default -> order >= 0;
            };
        }
    }

    record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(Condition condition) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return !condition.test(item);
        }
    }

    /** {@code attribute_exists(path)} when {@code expected} is true, {@code attribute_not_exists(path)} otherwise. */
    record Exists(DocumentPath path, boolean expected) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return (path.resolve(item) != null) == expected;
        }
    }

    record BeginsWith(Operand subject, Operand prefix) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue s = subject.evaluate(item);
            AttributeValue p = prefix.evaluate(item);
            return s != null && p != null && s.beginsWith(p);
        }
    }

    private static boolean comparable(AttributeValue a, AttributeValue b) {
        return a != null && b != null && a.type() == b.type() && a.isScalarKeyType();
    }
}
