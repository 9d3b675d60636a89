package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.port.EventPublisher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Records what it was asked to publish and what the bus accepted. A scripted predicate decides which events
 * fail; like the real publisher it never throws, it reports failures in the result.
 */
final class ScriptedEventPublisher implements EventPublisher {
    /** How many times the real publisher would retry a failing entry before giving up. */
    static final int RETRIES_PER_FAILURE = 2;

    private final List<List<OrderConfirmed>> calls = new ArrayList<>();
    private final List<OrderConfirmed> accepted = new ArrayList<>();
    private volatile Predicate<OrderConfirmed> fails = e -> false;

    void failWhen(Predicate<OrderConfirmed> predicate) {
        this.fails = predicate;
    }

    void failNothing() {
        this.fails = e -> false;
    }

    @Override
    public synchronized PublishResult publish(List<OrderConfirmed> events) {
        calls.add(List.copyOf(events));
        Set<OrderId> failed = new HashSet<>();
        for (OrderConfirmed e : events) {
            if (fails.test(e)) {
                failed.add(e.orderId());
            } else {
                accepted.add(e);
            }
        }
        return new PublishResult(failed, failed.size() * RETRIES_PER_FAILURE);
    }

    synchronized List<List<OrderConfirmed>> calls() {
        return List.copyOf(calls);
    }

    /** Every event the bus accepted, in order, duplicates included. */
    synchronized List<OrderConfirmed> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<OrderConfirmed> acceptedFor(OrderId id) {
        return accepted.stream().filter(e -> e.orderId().equals(id)).toList();
    }
}
