package dev.orderpipeline.domain.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@code OrderConfirmed} event, schema version 1 ({@code schemas/order-confirmed-v1.schema.json}).
 *
 * <p>Delivery is at least once: a redelivered queue message re-publishes the same event. The {@code eventId} is
 * derived from the {@code orderId} alone, so every copy of one order's event carries the same id and consumers
 * deduplicate on it. No personal data (shipping address, free-form attributes) goes on the event.
 */
public record OrderConfirmed(String eventId, OrderId orderId, OrderNumber orderNumber, CustomerId customerId,
                             Currency currency, List<OrderLine> lines, Money total, Instant submittedAt,
                             Instant confirmedAt) {
    public static final int SCHEMA_VERSION = 1;
    public static final String DETAIL_TYPE = "OrderConfirmed";

    public OrderConfirmed {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(orderNumber, "orderNumber");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(confirmedAt, "confirmedAt");
        lines = List.copyOf(lines);
        if (!eventId.equals(eventIdFor(orderId))) {
            throw new IllegalArgumentException("eventId must be derived from the orderId");
        }
    }

    public static OrderConfirmed of(ConfirmedOrder confirmed) {
        PendingOrder pending = confirmed.order();
        OrderSubmission s = pending.submission();
        return new OrderConfirmed(eventIdFor(pending.orderId()), pending.orderId(), confirmed.orderNumber(),
                s.customerId(), s.currency(), s.lines(), s.total(), pending.submittedAt(), confirmed.confirmedAt());
    }

    /** Deterministic: the same order always yields the same event id, however often it is published. */
    public static String eventIdFor(OrderId orderId) {
        String name = "order-pipeline/OrderConfirmed/v1\n" + orderId.value();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
