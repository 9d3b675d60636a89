package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.SaveOutcome;

/** Strict mode: reads the store's counter and proposes the next number, conditional on the counter not moving. */
final class StrictOrderNumberAllocator implements OrderNumberAllocator {
    private final InMemoryOrderStore store;

    StrictOrderNumberAllocator(InMemoryOrderStore store) {
        this.store = store;
    }

    @Override
    public NumberClaim claim() {
        long current = store.counter();
        Thread.yield(); // widens the window between reading the counter and the conditional write, as a network call would
        return new NumberClaim.Conditional(new OrderNumber(current + 1), current);
    }

    @Override
    public void settle(NumberClaim claim, SaveOutcome outcome) {
        // nothing to do: a conditional claim consumes nothing unless it was saved
    }
}
