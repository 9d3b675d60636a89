package dev.orderpipeline.emulator.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A Query's KeyConditionExpression, checked against the table's key schema: equality on the partition key and
 * at most one of {@code = < <= > >= BETWEEN begins_with} on the sort key. It selects a key range of one partition.
 */
final class KeyCondition {
    private final AttributeValue partition;
    private final Condition sortCondition;

    private KeyCondition(AttributeValue partition, Condition sortCondition) {
        this.partition = partition;
        this.sortCondition = sortCondition;
    }

    AttributeValue partition() {
        return partition;
    }

    static KeyCondition of(Condition condition, Table table) {
        List<Condition> parts = new ArrayList<>();
        if (condition instanceof Condition.And and) {
            if (and.left() instanceof Condition.And || and.right() instanceof Condition.And) {
                throw invalid("Conditions can be of length 1 or 2 only");
            }
            parts.add(and.left());
            parts.add(and.right());
        } else {
            parts.add(condition);
        }
        AttributeValue partition = null;
        Condition sortCondition = null;
        for (Condition part : parts) {
            String attribute = keyAttributeOf(part);
            if (attribute.equals(table.partitionKey().name())) {
                if (partition != null) {
                    throw invalid("KeyConditionExpressions must only contain one condition per key");
                }
                if (!(part instanceof Condition.Compare compare) || compare.comparator() != Condition.Comparator.EQ) {
                    throw ApiException.validation("Query key condition not supported");
                }
                partition = literal(compare.right(), table.partitionKey());
            } else if (table.sortKey() != null && attribute.equals(table.sortKey().name())) {
                if (sortCondition != null) {
                    throw invalid("KeyConditionExpressions must only contain one condition per key");
                }
                sortCondition = checkSortCondition(part, table.sortKey());
            } else {
                Table.KeyAttribute missed = partition == null || table.sortKey() == null
                        ? table.partitionKey() : table.sortKey();
                throw ApiException.validation("Query condition missed key schema element: " + missed.name());
            }
        }
        if (partition == null) {
            throw ApiException.validation("Query condition missed key schema element: " + table.partitionKey().name());
        }
        return new KeyCondition(partition, sortCondition);
    }

    /** The top-level attribute a key condition part constrains; it must be a plain attribute name. */
    private static String keyAttributeOf(Condition part) {
        Operand subject;
        if (part instanceof Condition.Compare compare) {
            if (compare.comparator() == Condition.Comparator.NE) {
                throw invalid("Invalid operator used in KeyConditionExpression: <>");
            }
            subject = compare.left();
        } else if (part instanceof Condition.Between between) {
            subject = between.value();
        } else if (part instanceof Condition.BeginsWith beginsWith) {
            subject = beginsWith.subject();
        } else {
            throw invalid("Invalid operator used in KeyConditionExpression: " + operatorName(part));
        }
        if (!(subject instanceof Operand.Path path) || path.path().elements().size() != 1) {
            throw invalid("The left-hand side of a key condition must be a key attribute name");
        }
        return path.path().topLevelName();
    }

    private static String operatorName(Condition part) {
        if (part instanceof Condition.Or) {
            return "OR";
        }
        if (part instanceof Condition.Not) {
            return "NOT";
        }
        if (part instanceof Condition.In) {
            return "IN";
        }
        if (part instanceof Condition.And) {
            return "AND";
        }
        return "function";
    }

    private static Condition checkSortCondition(Condition part, Table.KeyAttribute sortKey) {
        if (part instanceof Condition.Compare compare) {
            literal(compare.right(), sortKey);
        } else if (part instanceof Condition.Between between) {
            literal(between.lower(), sortKey);
            literal(between.upper(), sortKey);
        } else {
            AttributeValue prefix = literal(((Condition.BeginsWith) part).prefix(), sortKey);
            if (prefix.type() == AttributeValue.Type.N) {
                throw invalid("Incorrect operand type for operator or function; operator or function: begins_with, "
                        + "operand type: N");
            }
        }
        return part;
    }

    /** The right-hand side must be an expression attribute value of the key's type. */
    private static AttributeValue literal(Operand operand, Table.KeyAttribute key) {
        if (!(operand instanceof Operand.Literal literal)) {
            throw invalid("The right-hand side of a key condition must be an expression attribute value");
        }
        if (literal.value().type() != key.type()) {
            throw ApiException.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
        return literal.value();
    }

    /** The matching items of the partition, ascending by sort key; a live view, read it under the lock. */
    NavigableMap<AttributeValue, Map<String, AttributeValue>> range(Table table) {
        NavigableMap<AttributeValue, Map<String, AttributeValue>> rows = table.partition(partition);
        if (sortCondition == null) {
            return rows;
        }
        if (sortCondition instanceof Condition.Between between) {
            AttributeValue lower = between.lower().evaluate(Map.of());
            AttributeValue upper = between.upper().evaluate(Map.of());
            return rows.subMap(lower, true, upper, true);
        }
        if (sortCondition instanceof Condition.BeginsWith beginsWith) {
            AttributeValue prefix = beginsWith.prefix().evaluate(Map.of());
            AttributeValue bound = prefix.prefixUpperBound();
            return bound == null ? rows.tailMap(prefix, true) : rows.subMap(prefix, true, bound, false);
        }
        Condition.Compare compare = (Condition.Compare) sortCondition;
        AttributeValue value = compare.right().evaluate(Map.of());
        return switch (compare.comparator()) {
            case EQ -> rows.subMap(value, true, value, true);
            case LT -> rows.headMap(value, false);
            case LE -> rows.headMap(value, true);
            case GT -> rows.tailMap(value, false);
            case GE -> rows.tailMap(value, true);
            case NE -> throw new IllegalStateException("rejected when parsed");
        };
    }

    private static ApiException invalid(String detail) {
        return ApiException.validation("Invalid KeyConditionExpression: " + detail);
    }
}
