package dev.orderpipeline.intake;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.port.OrderLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** An {@link OrderLookup} over a fixed set of confirmed orders (or one that always fails); records every lookup. */
final class FakeOrderLookup implements OrderLookup {
    private final Map<OrderId, ConfirmedOrder> confirmed;
    private final Optional<Supplier<? extends RuntimeException>> failure;
    private final List<OrderId> lookups = new ArrayList<>();

    private FakeOrderLookup(Map<OrderId, ConfirmedOrder> confirmed, Optional<Supplier<? extends RuntimeException>> failure) {
        this.confirmed = Map.copyOf(confirmed);
        this.failure = failure;
    }

    static FakeOrderLookup empty() {
        return new FakeOrderLookup(Map.of(), Optional.empty());
    }

    static FakeOrderLookup with(ConfirmedOrder order) {
        return new FakeOrderLookup(Map.of(order.orderId(), order), Optional.empty());
    }

    static FakeOrderLookup failingWith(Supplier<? extends RuntimeException> failure) {
        return new FakeOrderLookup(Map.of(), Optional.of(failure));
    }

    @Override
    public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
        lookups.add(orderId);
        if (failure.isPresent()) {
            throw failure.get().get();
        }
        return Optional.ofNullable(confirmed.get(orderId));
    }

    List<OrderId> lookups() {
        return List.copyOf(lookups);
    }
}
