package dev.orderpipeline.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The {@code detail} of an EventBridge event with detail-type {@value #DETAIL_TYPE}, schema version 1
 * ({@value OrderConfirmedV1Json#SCHEMA_RESOURCE}).
 *
 * <p>Delivery is at least once and not in order: deduplicate on {@link #eventId()} (the same for every copy of one
 * order's event) and order by {@link #orderNumber()} or {@link #confirmedAt()} when order matters. Amounts are exact
 * decimals at the currency's minor-unit scale ({@code 12.50} EUR, {@code 1200} JPY) and keep that scale.
 */
public record OrderConfirmedV1(String eventId, String orderId, String orderNumber, String customerId, String currency,
                               List<Line> lines, BigDecimal total, Instant submittedAt, Instant confirmedAt) {
    public static final int SCHEMA_VERSION = 1;
    public static final String DETAIL_TYPE = "OrderConfirmed";

    public OrderConfirmedV1 {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(orderNumber, "orderNumber");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(confirmedAt, "confirmedAt");
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("lines: an order has at least one line");
        }
    }

    /** One order line; {@code lineTotal} is {@code unitPrice × quantity} at the same scale. */
    public record Line(String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
        public Line {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(unitPrice, "unitPrice");
            Objects.requireNonNull(lineTotal, "lineTotal");
            if (quantity < 1) {
                throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
            }
        }
    }
}
