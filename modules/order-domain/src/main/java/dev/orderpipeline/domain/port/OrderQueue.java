package dev.orderpipeline.domain.port;

import dev.orderpipeline.domain.model.PendingOrder;

/** Driven port: hands an accepted order to the confirmation stage. */
public interface OrderQueue {
    /**
     * Enqueues exactly one message for the order. Returns only once the queue has acknowledged it.
     *
     * @throws OrderQueueUnavailableException when the queue did not acknowledge the message
     */
    void enqueue(PendingOrder order, String correlationId);
}
