package dev.orderpipeline.domain.model;

import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client asks for: who, in which currency, which lines, where to ship, and free-form attributes.
 * Every amount is in {@link #currency()}; the total is always computed from the lines.
 */
public record OrderSubmission(CustomerId customerId, Currency currency, List<OrderLine> lines,
                              Optional<ShippingAddress> shippingAddress, Map<String, String> attributes) {
    public static final int MAX_LINES = 100;
    public static final int MAX_ATTRIBUTES = 20;
    public static final int MAX_ATTRIBUTE_KEY_LENGTH = 64;
    public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 256;

    public OrderSubmission {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(shippingAddress, "shippingAddress");
        Objects.requireNonNull(attributes, "attributes");
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("an order has 1.." + MAX_LINES + " lines");
        }
        for (OrderLine line : lines) {
            if (!line.unitPrice().currency().equals(currency)) {
                throw new IllegalArgumentException("every line must be priced in " + currency);
            }
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("at most " + MAX_ATTRIBUTES + " attributes");
        }
        attributes.forEach((k, v) -> {
            if (!isValidAttributeKey(k) || !isValidAttributeValue(v)) {
                throw new IllegalArgumentException("attribute keys are 1.." + MAX_ATTRIBUTE_KEY_LENGTH
                        + " and values 0.." + MAX_ATTRIBUTE_VALUE_LENGTH + " characters without control characters");
            }
        });
        lines = List.copyOf(lines);
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static boolean isValidAttributeKey(String key) {
        return key != null && !key.isEmpty() && key.length() <= MAX_ATTRIBUTE_KEY_LENGTH && !Text.hasControlCharacters(key);
    }

    public static boolean isValidAttributeValue(String value) {
        return value != null && value.length() <= MAX_ATTRIBUTE_VALUE_LENGTH && !Text.hasControlCharacters(value);
    }

    /** Sum of the line totals, at the currency's scale. */
    public Money total() {
        Money total = Money.zero(currency);
        for (OrderLine line : lines) {
            total = total.plus(line.lineTotal());
        }
        return total;
    }
}
