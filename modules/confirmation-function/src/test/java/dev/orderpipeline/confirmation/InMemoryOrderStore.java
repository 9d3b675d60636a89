package dev.orderpipeline.confirmation;

import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.EventPublisher;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link OrderStore} over a map that keeps each order id once (a redelivery finds the stored order), for unit tests
 * of the confirmation handler; {@link #handler} wires it with a counting allocator and a publisher that accepts
 * every event.
 */
final class InMemoryOrderStore implements OrderStore {
    private final Map<OrderId, ConfirmedOrder> orders = new LinkedHashMap<>();

    @Override
    public SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim) {
        ConfirmedOrder existing = orders.putIfAbsent(order.orderId(), order);
        return existing == null ? new SaveOutcome.Saved(order) : new SaveOutcome.AlreadyExists(existing);
    }

    @Override
    public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
        return Optional.ofNullable(orders.get(orderId));
    }

    Map<OrderId, ConfirmedOrder> stored() {
        return Map.copyOf(orders);
    }

    /** A handler over {@code store} whose published events and batch results land in the given lists. */
    static ConfirmationHandler handler(InMemoryOrderStore store, List<OrderConfirmed> published, List<BatchResult> recorded) {
        OrderNumberAllocator allocator = new OrderNumberAllocator() {
            private long next = 1;

            @Override
            public NumberClaim claim() {
                return new NumberClaim.Reserved(new OrderNumber(next++));
            }

            @Override
            public void settle(NumberClaim claim, SaveOutcome outcome) {
            }
        };
        EventPublisher publisher = events -> {
            published.addAll(events);
            return new EventPublisher.PublishResult(Set.of(), 0);
        };
        return new ConfirmationHandler(new ConfirmOrders(store, allocator, publisher, Clock.systemUTC()), recorded::add);
    }
}
