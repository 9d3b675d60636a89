package dev.orderpipeline.domain.intake;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderLookup;
import dev.orderpipeline.domain.port.OrderQueue;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake use cases: accept a validated submission onto the queue, and look up a confirmed order.
 *
 * <p>Acceptance is "enqueued", not "stored": the order id is returned only after the queue acknowledged the
 * message. With an idempotency key the id is derived from customer and key, so a retried request enqueues a
 * second message for the same order, which the confirmation stage collapses.
 */
public final class SubmitOrder {
    private static final Logger LOG = LoggerFactory.getLogger(SubmitOrder.class);
    private final OrderQueue queue;
    private final OrderLookup lookup;
    private final Clock clock;

    public SubmitOrder(OrderQueue queue, OrderLookup lookup, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws dev.orderpipeline.domain.port.OrderQueueUnavailableException when the order was not enqueued
     * @throws IdempotencyKeyReusedException when the key already names a confirmed order with other content
     */
    public PendingOrder submit(OrderSubmission submission, Optional<IdempotencyKey> idempotencyKey, String correlationId) {
        OrderId id = idempotencyKey
                .map(key -> OrderId.fromIdempotencyKey(submission.customerId(), key))
                .orElseGet(OrderId::random);
        if (idempotencyKey.isPresent()) {
            rejectReusedKey(id, submission);
        }
        PendingOrder pending = new PendingOrder(id, clock.instant(), submission);
        queue.enqueue(pending, correlationId);
        return pending;
    }

    /**
     * Catches the reuse of a key for different content when the first order is already confirmed. A reuse while the
     * first order is still in flight is caught by the confirmation stage (counted as a conflict). The check is
     * best-effort: if the store cannot answer, the order is still accepted.
     */
    private void rejectReusedKey(OrderId id, OrderSubmission submission) {
        Optional<ConfirmedOrder> existing;
        try {
            existing = lookup.findConfirmed(id);
        } catch (OrderStoreUnavailableException e) {
            LOG.warn("could not check the idempotency key against stored orders; accepting the order", e);
            return;
        }
        if (existing.isPresent() && !existing.get().fingerprint().equals(OrderFingerprint.of(submission))) {
            throw new IdempotencyKeyReusedException(id);
        }
    }

    /** @throws dev.orderpipeline.domain.port.OrderStoreUnavailableException when the store could not answer */
    public Optional<ConfirmedOrder> find(OrderId orderId) {
        return lookup.findConfirmed(orderId);
    }
}
