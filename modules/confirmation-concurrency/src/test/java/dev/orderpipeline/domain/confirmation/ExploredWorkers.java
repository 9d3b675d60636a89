package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.port.EventPublisher;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStore;
import java.time.Clock;

/**
 * Workers for the explored schedules: the production use case, except that a back-off after a lost race or a
 * transaction conflict yields instead of sleeping. Under Fray a real sleep stalls the whole schedule (the other
 * threads wait for the sleeper), and how long a worker waits does not change which interleavings are possible: the
 * yield is a scheduling point where any other worker may run, which is all the back-off is for.
 */
public final class ExploredWorkers {
    private ExploredWorkers() {
    }

    public static ConfirmOrders confirmOrders(OrderStore store, OrderNumberAllocator allocator, EventPublisher publisher,
            Clock clock) {
        return new ConfirmOrders(store, allocator, publisher, clock, millis -> Thread.yield());
    }
}
