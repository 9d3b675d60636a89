package dev.orderpipeline.emulator.dynamodb;

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

}
