package dev.orderpipeline.domain.intake;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderLookup;
import dev.orderpipeline.domain.port.OrderQueue;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Intake use cases: accept a validated submission onto the queue, and look up a confirmed order.
 *
 * <p>Acceptance is "enqueued", not "stored": the order id is returned only after the queue acknowledged the
 * message. With an idempotency key the id is derived from customer and key, so a retried request enqueues a
 * second message for the same order, which the confirmation stage collapses.
 */
public final class SubmitOrder {
    private final OrderQueue queue;
    private final OrderLookup lookup;
    private final Clock clock;

    public SubmitOrder(OrderQueue queue, OrderLookup lookup, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @throws dev.orderpipeline.domain.port.OrderQueueUnavailableException when the order was not enqueued */
    public PendingOrder submit(OrderSubmission submission, Optional<IdempotencyKey> idempotencyKey, String correlationId) {
        OrderId id = idempotencyKey
                .map(key -> OrderId.fromIdempotencyKey(submission.customerId(), key))
                .orElseGet(OrderId::random);
        PendingOrder pending = new PendingOrder(id, clock.instant(), submission);
        queue.enqueue(pending, correlationId);
        return pending;
    }

    /** @throws dev.orderpipeline.domain.port.OrderStoreUnavailableException when the store could not answer */
    public Optional<ConfirmedOrder> find(OrderId orderId) {
        return lookup.findConfirmed(orderId);
    }
}
