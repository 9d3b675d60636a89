package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.DependencyUnavailableException;
import dev.orderpipeline.domain.port.EventPublisher;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The confirmation use case: give every queued order exactly one number, store it once, and publish its
 * {@code OrderConfirmed} event at least once.
 *
 * <h2>Why this is safe under at-least-once delivery and crashes</h2>
 * <ul>
 *   <li>The order is stored with a conditional write keyed on {@code orderId} (in strict mode the same atomic write
 *       that takes its number). A redelivery finds the stored order ({@link SaveOutcome.AlreadyExists}) and reuses its number:
 *       one order, one number.</li>
 *   <li>One number, one order: in strict mode the store refuses a number that is already taken; in block mode each
 *       number was reserved for one worker by an atomic write to the counter, and the worker hands it out once
 *       (it reuses a number only after an outcome that says nothing was written under it).</li>
 *   <li>The event is published after the order is stored, and a message is reported done only when its event was
 *       accepted by the bus. A crash or a failed publish leaves the message on the queue; the redelivery finds the
 *       stored order and publishes the same event (same {@code eventId}) again. Consumers deduplicate.</li>
 *   <li>A message that cannot be read is reported failed, never dropped: after {@code maxReceiveCount} it lands in
 *       the dead-letter queue intact.</li>
 *   <li>A message whose {@code orderId} is already stored with different content (a reused idempotency key) is a
 *       conflict: the stored order is kept, the conflict is logged and counted, and the message is done, since
 *       retrying it can never succeed.</li>
 * </ul>
 */
public final class ConfirmOrders {
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmOrders.class);
    /**
     * Claims per order before the message goes back to SQS. A stale claim is retried once at once with the counter
     * value the cancelled write returned, and only a second loss in a row backs off, so every back-off is followed
     * by a retry on fresh information rather than on the value from before the sleep.
     */
    static final int MAX_CLAIM_ATTEMPTS = 32;

    private final OrderStore store;
    private final OrderNumberAllocator allocator;
    private final EventPublisher publisher;
    private final Clock clock;
    /** How a back-off waits: {@link Thread#sleep(long)}, or a recorder in tests. */
    private final Pause pause;

    /** Waits the given number of milliseconds. */
    @FunctionalInterface
    interface Pause {
        void millis(long millis) throws InterruptedException;
    }

    public ConfirmOrders(OrderStore store, OrderNumberAllocator allocator, EventPublisher publisher, Clock clock) {
        this(store, allocator, publisher, clock, Thread::sleep);
    }

    ConfirmOrders(OrderStore store, OrderNumberAllocator allocator, EventPublisher publisher, Clock clock, Pause pause) {
        this.pause = Objects.requireNonNull(pause, "pause");
        this.store = Objects.requireNonNull(store, "store");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Confirms one batch. Each element was read by the adapter; an {@link QueuedOrder.Unreadable} one is poison,
     * counted and reported failed so that it ends in the dead-letter queue.
     */
    public BatchResult confirm(List<QueuedOrder> batch) {
        List<String> failed = new ArrayList<>();
        List<Duration> latencies = new ArrayList<>();
        // one event per order, however many of its messages are in this batch
        Map<OrderId, OrderConfirmed> toPublish = new LinkedHashMap<>();
        Map<OrderId, List<String>> messagesByOrder = new LinkedHashMap<>();
        int confirmed = 0;
        int duplicates = 0;
        int conflicts = 0;
        int poison = 0;

        for (QueuedOrder message : batch) {
            if (message instanceof QueuedOrder.Unreadable unreadable) {
                poison++;
                failed.add(message.messageId());
                LOG.error("unreadable order message {} left for the dead-letter queue: {}", message.messageId(), unreadable.reason());
                continue;
            }
            PendingOrder pending = ((QueuedOrder.Readable) message).order();
            try (MDC.MDCCloseable ignored = MDC.putCloseable("orderId", pending.orderId().value())) {
                Outcome outcome;
                try {
                    outcome = confirmOne(pending);
                } catch (RuntimeException e) {
                    // an unforeseen failure costs this message a retry, never the rest of the batch
                    LOG.error("unexpected error confirming this order; the message will be retried", e);
                    failed.add(message.messageId());
                    continue;
                }
                switch (outcome.kind) {
                    case CONFIRMED -> {
                        confirmed++;
                        latencies.add(Duration.between(pending.submittedAt(), outcome.order.confirmedAt()));
                        LOG.info("order confirmed as {}", outcome.order.orderNumber());
                    }
                    case DUPLICATE -> {
                        duplicates++;
                        LOG.info("duplicate delivery of order {}, publishing its event again", outcome.order.orderNumber());
                    }
                    case CONFLICT -> {
                        conflicts++;
                        LOG.warn("idempotency conflict: order id already confirmed as {} with different content; "
                                + "the stored order is kept and message {} is dropped", outcome.order.orderNumber(), message.messageId());
                        continue;
                    }
                    case RETRY -> {
                        failed.add(message.messageId());
                        continue;
                    }
                }
                toPublish.putIfAbsent(pending.orderId(), OrderConfirmed.of(outcome.order));
                messagesByOrder.computeIfAbsent(pending.orderId(), k -> new ArrayList<>()).add(message.messageId());
            }
        }

        int retries = 0;
        if (!toPublish.isEmpty()) {
            EventPublisher.PublishResult result = publisher.publish(List.copyOf(toPublish.values()));
            retries = result.retries();
            for (OrderId id : result.failed()) {
                List<String> ids = messagesByOrder.getOrDefault(id, List.of());
                failed.addAll(ids);
                LOG.warn("OrderConfirmed for order {} not published; {} message(s) will be retried", id, ids.size());
            }
        }
        return new BatchResult(failed, confirmed, duplicates, conflicts, poison, retries, latencies);
    }

    private Outcome confirmOne(PendingOrder pending) {
        String fingerprint = OrderFingerprint.of(pending.submission());
        try {
            boolean retriedAtOnce = false;
            for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
                NumberClaim claim = allocator.claim();
                Instant now = clock.instant();
                ConfirmedOrder candidate = new ConfirmedOrder(pending, claim.number(), now, fingerprint);
                SaveOutcome outcome = store.saveNew(candidate, claim);
                allocator.settle(claim, outcome);
                if (outcome instanceof SaveOutcome.Saved saved) {
                    return new Outcome(Kind.CONFIRMED, saved.order());
                }
                if (outcome instanceof SaveOutcome.AlreadyExists existing) {
                    boolean same = existing.existing().fingerprint().equals(fingerprint);
                    return new Outcome(same ? Kind.DUPLICATE : Kind.CONFLICT, existing.existing());
                }
                if (outcome instanceof SaveOutcome.NumberTaken) {
                    LOG.warn("order number {} was already taken; claiming another", claim.number());
                    retriedAtOnce = false;
                } else if (outcome instanceof SaveOutcome.Contended) {
                    backOff(attempt);
                    retriedAtOnce = false;
                } else if (retriedAtOnce) {
                    // lost again with the freshest counter there is: real contention (many workers); spread out
                    backOff(attempt);
                    retriedAtOnce = false;
                } else {
                    // The allocator now holds the counter as the cancelled write saw it: one immediate retry. Waiting
                    // first would only let the winner (which needs no read) move it again, and the loser, always a
                    // step behind, kept losing; waiting every time also left it a stale value after every sleep.
                    retriedAtOnce = true;
                }
            }
            LOG.warn("no order number after {} attempts under contention; the message will be retried", MAX_CLAIM_ATTEMPTS);
        } catch (DependencyUnavailableException e) {
            LOG.warn("order store unavailable; the message will be retried", e);
        }
        return new Outcome(Kind.RETRY, null);
    }

    /**
     * Spreads colliding writers apart after a transaction conflict, or after a second lost counter race in a row:
     * full jitter over an exponentially growing window (5 ms, 10 ms, … capped at 200 ms), so that they take turns
     * instead of colliding again.
     */
    private void backOff(int attempt) {
        long window = Math.min(200, 5L << Math.min(attempt - 1, 6));
        try {
            pause.millis(ThreadLocalRandom.current().nextLong(window + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException("interrupted while waiting to claim an order number", e);
        }
    }

    private enum Kind { CONFIRMED, DUPLICATE, CONFLICT, RETRY }

    private record Outcome(Kind kind, ConfirmedOrder order) {
    }
}
