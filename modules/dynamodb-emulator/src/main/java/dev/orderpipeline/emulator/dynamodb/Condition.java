package dev.orderpipeline.emulator.dynamodb;

import java.util.List;
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

    record Between(Operand value, Operand lower, Operand upper) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            AttributeValue lo = lower.evaluate(item);
            AttributeValue hi = upper.evaluate(item);
            return comparable(v, lo) && comparable(v, hi)
                    && AttributeValue.compare(lo, v) <= 0 && AttributeValue.compare(v, hi) <= 0;
        }
    }

    record In(Operand value, List<Operand> candidates) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            return v != null && candidates.stream().anyMatch(c -> v.equals(c.evaluate(item)));
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

    record AttributeType(DocumentPath path, AttributeValue.Type type) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue value = path.resolve(item);
            return value != null && value.type() == type;
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

    /** A substring of a string, an element of a set, or an element of a list. */
    record Contains(Operand subject, Operand operand) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue s = subject.evaluate(item);
            AttributeValue o = operand.evaluate(item);
            if (s == null || o == null) {
                return false;
            }
            return switch (s.type()) {
                case S -> o.type() == AttributeValue.Type.S && s.text().contains(o.text());
                case SS, NS, BS -> o.type() == AttributeValue.elementType(s.type())
                        && s.elements().contains(elementOf(o));
                case L -> s.list().contains(o);
                default -> false;
            };
        }

        private static Object elementOf(AttributeValue scalar) {
            return scalar.type() == AttributeValue.Type.N ? scalar.number() : scalar.text();
        }
    }

    private static boolean comparable(AttributeValue a, AttributeValue b) {
        return a != null && b != null && a.type() == b.type() && a.isScalarKeyType();
    }
}
