package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Hands out scripted claims first (a stale or faulty allocator), then delegates; records every settle call. */
final class ScriptedOrderNumberAllocator implements OrderNumberAllocator {
    private final Deque<NumberClaim> script;
    private final OrderNumberAllocator fallback;
    private final List<SaveOutcome> settled = new ArrayList<>();

    ScriptedOrderNumberAllocator(List<NumberClaim> script, OrderNumberAllocator fallback) {
        this.script = new ArrayDeque<>(script);
        this.fallback = fallback;
    }

    @Override
    public synchronized NumberClaim claim() {
        return script.isEmpty() ? fallback.claim() : script.pollFirst();
    }

    @Override
    public synchronized void settle(NumberClaim claim, SaveOutcome outcome) {
        settled.add(outcome);
        fallback.settle(claim, outcome);
    }

    synchronized List<SaveOutcome> settled() {
        return List.copyOf(settled);
    }
}
