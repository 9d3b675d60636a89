package dev.orderpipeline.emulator.dynamodb;

import java.math.BigDecimal;
import java.util.Map;

/** An operand of a condition, filter or key condition expression. */
interface Operand {

    /** The operand's value for {@code item}, or null when it is undefined (a missing attribute). */
    AttributeValue evaluate(Map<String, AttributeValue> item);

    record Path(DocumentPath path) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return path.resolve(item);
        }
    }

    record Literal(AttributeValue value) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return value;
        }
    }

    /** {@code size(path)}; undefined for a missing attribute and for types without a size (N, BOOL, NULL). */
    record Size(DocumentPath path) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue value = path.resolve(item);
            Long size = value == null ? null : value.sizeFunction();
            return size == null ? null : AttributeValue.number(BigDecimal.valueOf(size));
        }
    }
}
