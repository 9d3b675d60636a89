package dev.orderpipeline.bench.confirm;

import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what became of each claim: lost counter races ({@code ClaimStale}) are strict mode's contention cost. */
final class CountingAllocator implements OrderNumberAllocator {
    final AtomicLong claims = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong contended = new AtomicLong();
    final AtomicLong numberTaken = new AtomicLong();
    private final OrderNumberAllocator delegate;

    CountingAllocator(OrderNumberAllocator delegate) {
        this.delegate = delegate;
    }

    @Override
    public NumberClaim claim() {
        claims.incrementAndGet();
        return delegate.claim();
    }

    @Override
    public void settle(NumberClaim claim, SaveOutcome outcome) {
        if (outcome instanceof SaveOutcome.ClaimStale) {
            stale.incrementAndGet();
        } else if (outcome instanceof SaveOutcome.Contended) {
            contended.incrementAndGet();
        } else if (outcome instanceof SaveOutcome.NumberTaken) {
            numberTaken.incrementAndGet();
        }
        delegate.settle(claim, outcome);
    }
}
