package dev.orderpipeline.domain.port;

import dev.orderpipeline.domain.model.OrderNumber;

/**
 * A number the allocator proposes for one order. The store commits it together with the order, or not at all.
 */
public sealed interface NumberClaim {
    OrderNumber number();

    /**
     * Strict mode: the number is only taken if the shared counter still reads {@code counterBefore} when the
     * order is stored; the same atomic write advances the counter to {@code number}. Nothing is consumed when
     * the write fails, so strict mode leaves no gaps.
     */
    record Conditional(OrderNumber number, long counterBefore) implements NumberClaim {
        public Conditional {
            if (counterBefore < 0 || number.sequence() <= counterBefore) {
                throw new IllegalArgumentException("a conditional claim must lie above the counter it expects");
            }
        }
    }

    /**
     * Block mode: the number was already reserved for this worker alone by an earlier write to the counter, so the
     * store only has to store the order once; it checks nothing about the number.
     */
    record Reserved(OrderNumber number) implements NumberClaim {
    }
}
