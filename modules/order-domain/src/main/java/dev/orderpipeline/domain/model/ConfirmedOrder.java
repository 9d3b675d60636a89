package dev.orderpipeline.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An order that has its number. Stored once, never overwritten.
 *
 * @param fingerprint digest of the submission's content (see {@link OrderFingerprint}); tells a redelivery of the
 *                    same order apart from a different order that reused an idempotency key
 */
public record ConfirmedOrder(PendingOrder order, OrderNumber orderNumber, Instant confirmedAt, String fingerprint) {
    public ConfirmedOrder {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(orderNumber, "orderNumber");
        Timestamps.requireWithinBounds(confirmedAt, "confirmedAt");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    public OrderId orderId() {
        return order.orderId();
    }
}
