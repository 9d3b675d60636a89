package dev.orderpipeline.domain.model;

import java.util.Objects;

/** One line of an order: a SKU, how many, and the unit price. The line total is computed, never supplied. */
public record OrderLine(Sku sku, int quantity, Money unitPrice) {
    public static final int MAX_QUANTITY = 10_000;

    public OrderLine {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(unitPrice, "unitPrice");
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new IllegalArgumentException("quantity must be between 1 and " + MAX_QUANTITY);
        }
    }

    public Money lineTotal() {
        return unitPrice.times(quantity);
    }
}
