package dev.orderpipeline.bench.e2e;

import dev.orderpipeline.bench.common.LatencyStats;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches accepted orders (POST answered 202, with the order id) to their {@code OrderConfirmed} events (seen on the
 * subscriber queue), in either order: on a fast path the event can be read before the HTTP response is handled.
 * The end-to-end latency runs from the order's <em>scheduled</em> send time to the event's arrival.
 */
final class OrderTracker {
    private static final class Entry {
        long scheduledNanos = -1;
        long arrivalNanos = -1;
        Step step;
        boolean confirmed;
    }

    /** The orders of one load step whose latency is reported (those scheduled inside its measurement window). */
    static final class Step {
        final LatencyStats endToEnd = new LatencyStats();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong confirmed = new AtomicLong();
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();

    /** @param step null for orders outside a measurement window (lead-in, warm-up): matched but not reported */
    void accepted(String orderId, long scheduledNanos, Step step) {
        if (step != null) {
            step.accepted.incrementAndGet();
        }
        entries.compute(orderId, (id, e) -> {
            if (e == null) {
                e = new Entry();
            }
            e.scheduledNanos = scheduledNanos;
            e.step = step;
            completeIfMatched(e);
            return e;
        });
    }

    void event(String orderId, long arrivalNanos) {
        events.incrementAndGet();
        entries.compute(orderId, (id, e) -> {
            if (e == null) {
                e = new Entry();
            }
            if (e.arrivalNanos >= 0) {
                duplicates.incrementAndGet();
                return e;
            }
            e.arrivalNanos = arrivalNanos;
            completeIfMatched(e);
            return e;
        });
    }

    private static void completeIfMatched(Entry e) {
        if (!e.confirmed && e.scheduledNanos >= 0 && e.arrivalNanos >= 0) {
            e.confirmed = true;
            if (e.step != null) {
                e.step.endToEnd.recordNanos(e.arrivalNanos - e.scheduledNanos);
                e.step.confirmed.incrementAndGet();
            }
        }
    }

    /** Every OrderConfirmed read from the subscriber queue so far, duplicates included. */
    long events() {
        return events.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Events whose order was never answered 202 (should stay 0); counted once the run is over. */
    long eventsWithoutOrder() {
        long n = 0;
        for (Entry e : entries.values()) {
            if (e.scheduledNanos < 0 && e.arrivalNanos >= 0) {
                n++;
            }
        }
        return n;
    }
}
