package dev.orderpipeline.domain.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client asks for: who, in which currency, which lines, where to ship, and free-form attributes.
 * Every amount is in {@link #currency()}; the total is always computed from the lines.
 *
 * <p>The constructor checks what every order ever stored or published has (1..{@value #MAX_LINES} lines, one
 * currency); the limits on attributes and text are admission rules, checked by
 * {@link dev.orderpipeline.domain.json.OrderSubmissionJson#read} at intake and on the queue, so that a stored order
 * stays readable when those rules are tightened.
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
        lines = List.copyOf(lines);
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Admission rule: 1..{@value #MAX_ATTRIBUTE_KEY_LENGTH} code points of {@link Text#isAcceptable acceptable} text. */
    public static boolean isValidAttributeKey(String key) {
        return Text.isAcceptable(key, 1, MAX_ATTRIBUTE_KEY_LENGTH);
    }

    /** Admission rule: 0..{@value #MAX_ATTRIBUTE_VALUE_LENGTH} code points of {@link Text#isAcceptable acceptable} text. */
    public static boolean isValidAttributeValue(String value) {
        return Text.isAcceptable(value, 0, MAX_ATTRIBUTE_VALUE_LENGTH);
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
