package dev.orderpipeline.history;

import dev.orderpipeline.events.OrderConfirmedV1;

/** Port: where the per-customer order history is kept. */
public interface OrderHistoryStore {
    enum Outcome { RECORDED, DUPLICATE }

    /**
     * Adds the confirmed order to its customer's history. Must be idempotent (delivery is at least once) and
     * order-independent (delivery is not in order). {@code DUPLICATE} when the order was already in the history and
     * nothing was written; it is a metric, not a guarantee that every repeat is reported as one.
     *
     * @throws HistoryStoreUnavailableException when the store could not be written; the event is retried
     */
    Outcome record(OrderConfirmedV1 event);
}
