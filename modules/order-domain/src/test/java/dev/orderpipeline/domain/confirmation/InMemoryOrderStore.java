package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link OrderStore} with the atomic semantics its Javadoc demands: under one lock, the order is stored only
 * if its id is new, a conditional claim only if the counter still reads what the claim expects (the same write
 * then advances it), and the claimed number only if it is free.
 */
final class InMemoryOrderStore implements OrderStore {
    private final Object lock = new Object();
    private final Map<OrderId, ConfirmedOrder> ordersById = new HashMap<>();
    private final Map<OrderNumber, OrderId> ownerByNumber = new HashMap<>();
    private long counter;
    private final Set<OrderId> unavailableFor = ConcurrentHashMap.newKeySet();
    private final AtomicInteger writes = new AtomicInteger();

    /** Every save of this order throws {@link OrderStoreUnavailableException} until {@link #recover} is called. */
    void failSavesOf(OrderId id) {
        unavailableFor.add(id);
    }

    void recover(OrderId id) {
        unavailableFor.remove(id);
    }

    /** Puts an order in place as if an earlier worker had stored it (does not touch the counter). */
    void preload(ConfirmedOrder order) {
        synchronized (lock) {
            ordersById.put(order.orderId(), order);
            ownerByNumber.put(order.orderNumber(), order.orderId());
        }
    }

    /** The strict-mode counter: the highest number taken by a conditional claim. */
    long counter() {
        synchronized (lock) {
            return counter;
        }
    }

    Map<OrderId, ConfirmedOrder> orders() {
        synchronized (lock) {
            return Map.copyOf(ordersById);
        }
    }

    Map<OrderNumber, OrderId> owners() {
        synchronized (lock) {
            return Map.copyOf(ownerByNumber);
        }
    }

    int successfulWrites() {
        return writes.get();
    }

    @Override
    public SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim) {
        if (!order.orderNumber().equals(claim.number())) {
            throw new AssertionError("the order must be saved with the number it claimed");
        }
        if (unavailableFor.contains(order.orderId())) {
            throw new OrderStoreUnavailableException("scripted outage", new IOException("connection reset"));
        }
        synchronized (lock) {
            ConfirmedOrder existing = ordersById.get(order.orderId());
            if (existing != null) {
                return new SaveOutcome.AlreadyExists(existing);
            }
            // same precedence as a transaction's cancellation reasons: order item, then counter, then number
            NumberClaim.Conditional conditional = claim instanceof NumberClaim.Conditional c ? c : null;
            if (conditional != null && counter != conditional.counterBefore()) {
                return new SaveOutcome.ClaimStale(counter);
            }
            if (ownerByNumber.containsKey(claim.number())) {
                return new SaveOutcome.NumberTaken();
            }
            if (conditional != null) {
                counter = conditional.number().sequence();
            }
            ordersById.put(order.orderId(), order);
            ownerByNumber.put(order.orderNumber(), order.orderId());
            writes.incrementAndGet();
            return new SaveOutcome.Saved(order);
        }
    }

    @Override
    public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
        synchronized (lock) {
            return Optional.ofNullable(ordersById.get(orderId));
        }
    }
}
