package dev.orderpipeline.domain.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The human-readable number a confirmed order is known by: {@code ORD-} followed by the sequence value,
 * zero-padded to at least ten digits ({@code ORD-0000000042}). The sequence starts at 1 and is unique forever;
 * how it is allocated (strictly, or in blocks) is up to the {@code OrderNumberAllocator}.
 */
public record OrderNumber(long sequence) implements Comparable<OrderNumber> {
    private static final Pattern FORMAT = Pattern.compile("^ORD-(\\d{10,19})$");

    public OrderNumber {
        if (sequence < 1) {
            throw new IllegalArgumentException("order number sequence starts at 1");
        }
    }

    public static OrderNumber parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("order number must look like ORD-0000000042");
        }
        OrderNumber number = new OrderNumber(Long.parseLong(m.group(1)));
        if (!number.toString().equals(text)) {
            // one number, one spelling: no extra zero padding
            throw new IllegalArgumentException("order number must look like ORD-0000000042");
        }
        return number;
    }

    @Override
    public String toString() {
        return String.format("ORD-%010d", sequence);
    }

    @Override
    public int compareTo(OrderNumber other) {
        return Long.compare(sequence, other.sequence);
    }
}
