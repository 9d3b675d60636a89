package dev.orderpipeline.intake;

import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link OrderQueue} that records every message it acknowledged, or fails every call with a given exception.
 * Attempts are counted separately, so a test can tell "never asked" from "asked, but failed".
 */
final class RecordingOrderQueue implements OrderQueue {
    record Sent(PendingOrder order, String correlationId) {
    }

    private final Optional<Supplier<? extends RuntimeException>> failure;
    private final List<Sent> sent = new ArrayList<>();
    private int attempts;

    private RecordingOrderQueue(Optional<Supplier<? extends RuntimeException>> failure) {
        this.failure = failure;
    }

    static RecordingOrderQueue acknowledging() {
        return new RecordingOrderQueue(Optional.empty());
    }

    static RecordingOrderQueue failingWith(Supplier<? extends RuntimeException> failure) {
        return new RecordingOrderQueue(Optional.of(failure));
    }

    @Override
    public void enqueue(PendingOrder order, String correlationId) {
        attempts++;
        if (failure.isPresent()) {
            throw failure.get().get();
        }
        sent.add(new Sent(order, correlationId));
    }

    /** Messages the queue acknowledged, in order. */
    List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Calls to {@link #enqueue}, acknowledged or not. */
    int attempts() {
        return attempts;
    }
}
