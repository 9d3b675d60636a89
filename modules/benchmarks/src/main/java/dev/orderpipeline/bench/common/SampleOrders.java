package dev.orderpipeline.bench.common;

import java.util.Locale;

/**
 * Valid {@code POST /orders} bodies: a typical order (a few lines, a shipping address, one attribute) or a large
 * one (up to the 100-line maximum). Distinct per index so every order is its own.
 */
public final class SampleOrders {
    private SampleOrders() {
    }

    public static String body(long index, int lines) {
        if (lines < 1 || lines > 100) {
            throw new IllegalArgumentException("an order has 1..100 lines");
        }
        StringBuilder sb = new StringBuilder(160 + lines * 56);
        sb.append("{\"customerId\":\"bench-").append(index % 1000).append("\",\"currency\":\"EUR\",\"lines\":[");
        for (int i = 0; i < lines; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"sku\":\"SKU-").append(i + 1).append("\",\"quantity\":").append(1 + (index + i) % 5)
                    .append(",\"unitPrice\":\"").append(String.format(Locale.ROOT, "%d.%02d", 5 + (i % 40), (index + i) % 100))
                    .append("\"}");
        }
        sb.append("],\"shippingAddress\":{\"name\":\"Ada Lovelace\",\"line1\":\"1 Main St\",\"city\":\"London\",")
                .append("\"postalCode\":\"N1 9GU\",\"country\":\"GB\"},\"attributes\":{\"giftWrap\":\"yes\"}}");
        return sb.toString();
    }
}
