package dev.orderpipeline.domain.intake;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.IdempotencyRecords;
import dev.orderpipeline.domain.port.OrderLookup;
import dev.orderpipeline.domain.port.OrderQueue;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake use cases: accept a validated submission onto the queue, and look up a confirmed order.
 *
 * <p>Acceptance is "enqueued", not "stored": the order id is returned only after the queue acknowledged the
 * message. With an {@code Idempotency-Key} (the IETF draft's semantics) the id is derived from customer and key, and
 * the first request claims the key with an {@link IdempotencyRecord} (a conditional write) before anything is
 * enqueued:
 * <ul>
 *   <li>a later request with the same content gets the same answer (same id, same {@code submittedAt}) and is enqueued
 *       again, which the confirmation stage collapses; this is also how a request that claimed the key but failed to
 *       enqueue is completed by its retry;</li>
 *   <li>a request with other content is refused at once ({@link IdempotencyKeyReusedException}), whether the first
 *       order is in flight or confirmed: the first submission wins, in submission order, and no client is told
 *       "accepted" for content the confirmation stage would drop.</li>
 * </ul>
 * A confirmed order is checked first, so a key reused after its record expired is still refused for other content.
 * The record is kept for the window or {@link #LONGEST_PENDING}, whichever is longer: a key must not be bound to new
 * content while its first order can still be confirmed (from the queue, or replayed from the dead-letter queue),
 * or that order would arrive at confirmation to find the key's id taken, and its {@code 202} would not be kept.
 */
public final class SubmitOrder {
    /** The default idempotency window, as in the IETF draft's examples and well-known payment APIs. */
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /**
     * The longest an accepted order can wait unconfirmed: SQS keeps a message at most 14 days, counted from its first
     * enqueue (a move to the dead-letter queue does not restart the clock).
     */
    public static final Duration LONGEST_PENDING = Duration.ofDays(14);
    private static final Logger LOG = LoggerFactory.getLogger(SubmitOrder.class);
    private final OrderQueue queue;
    private final OrderLookup lookup;
    private final IdempotencyRecords records;
    private final Duration recordLifetime;
    private final Clock clock;

    public SubmitOrder(OrderQueue queue, OrderLookup lookup, IdempotencyRecords records, Duration window, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.records = Objects.requireNonNull(records, "records");
        Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the idempotency window must be positive");
        }
        this.recordLifetime = window.compareTo(LONGEST_PENDING) > 0 ? window : LONGEST_PENDING;
    }

    /**
     * @throws dev.orderpipeline.domain.port.OrderQueueUnavailableException when the order was not enqueued
     * @throws OrderStoreUnavailableException when the key could not be claimed (nothing was enqueued)
     * @throws IdempotencyKeyReusedException when the key already names an order with other content
     */
    public PendingOrder submit(OrderSubmission submission, Optional<IdempotencyKey> idempotencyKey, String correlationId) {
        if (idempotencyKey.isEmpty()) {
            PendingOrder pending = new PendingOrder(OrderId.random(), clock.instant(), submission);
            queue.enqueue(pending, correlationId);
            return pending;
        }
        OrderId id = OrderId.fromIdempotencyKey(submission.customerId(), idempotencyKey.get());
        String fingerprint = OrderFingerprint.of(submission);
        Optional<ConfirmedOrder> confirmed = findConfirmedBestEffort(id);
        if (confirmed.isPresent()) {
            if (!confirmed.get().fingerprint().equals(fingerprint)) {
                throw new IdempotencyKeyReusedException(id);
            }
            return confirmed.get().order(); // already confirmed: the first answer again, nothing left to enqueue
        }
        Instant now = clock.instant();
        IdempotencyRecord held = records.claim(new IdempotencyRecord(id, fingerprint, now, now.plus(recordLifetime)), now);
        if (!held.fingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReusedException(id);
        }
        PendingOrder pending = new PendingOrder(id, held.submittedAt(), submission);
        queue.enqueue(pending, correlationId);
        return pending;
    }

    /**
     * The confirmed-order check only matters once a key's record has expired (the record decides otherwise), so a
     * store that cannot answer it does not stop the order: the claim that follows needs the store anyway.
     */
    private Optional<ConfirmedOrder> findConfirmedBestEffort(OrderId id) {
        try {
            return lookup.findConfirmed(id);
        } catch (OrderStoreUnavailableException e) {
            LOG.warn("could not check the idempotency key against confirmed orders; the key's record decides", e);
            return Optional.empty();
        }
    }

    /** @throws dev.orderpipeline.domain.port.OrderStoreUnavailableException when the store could not answer */
    public Optional<ConfirmedOrder> find(OrderId orderId) {
        return lookup.findConfirmed(orderId);
    }
}
