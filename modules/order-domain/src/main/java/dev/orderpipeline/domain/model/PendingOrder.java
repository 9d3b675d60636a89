package dev.orderpipeline.domain.model;

import java.time.Instant;
import java.util.Objects;

/** An accepted, validated order waiting for confirmation: what intake puts on the queue. */
public record PendingOrder(OrderId orderId, Instant submittedAt, OrderSubmission submission) {
    public PendingOrder {
        Objects.requireNonNull(orderId, "orderId");
        Timestamps.requireWithinBounds(submittedAt, "submittedAt");
        Objects.requireNonNull(submission, "submission");
    }
}
