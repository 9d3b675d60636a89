package dev.orderpipeline.domain.intake;

import dev.orderpipeline.domain.model.OrderId;

/**
 * The {@code Idempotency-Key} already names a confirmed order with different content. Accepting the request would
 * tell the client "accepted" for an order that confirmation must then drop as a conflict.
 */
public final class IdempotencyKeyReusedException extends RuntimeException {
    private final transient OrderId orderId;

    public IdempotencyKeyReusedException(OrderId orderId) {
        super("the idempotency key was already used for a different order");
        this.orderId = orderId;
    }

    public OrderId orderId() {
        return orderId;
    }
}
