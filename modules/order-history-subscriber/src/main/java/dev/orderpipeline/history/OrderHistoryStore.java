package dev.orderpipeline.history;

import dev.orderpipeline.events.OrderConfirmedV1;
import java.time.Instant;

/** Port: where the per-customer order history is kept. */
public interface OrderHistoryStore {
    enum Outcome { RECORDED, DUPLICATE }

    /**
     * Adds the confirmed order to its customer's history. Must be idempotent (delivery is at least once) and
     * order-independent (delivery is not in order). {@code DUPLICATE} when this {@code eventId} was seen before and
     * its dedup marker has not expired yet ({@code dedupExpiresAt}).
     *
     * @throws HistoryStoreUnavailableException when the store could not be written; the event is retried
     */
    Outcome record(OrderConfirmedV1 event, Instant dedupExpiresAt);
}
