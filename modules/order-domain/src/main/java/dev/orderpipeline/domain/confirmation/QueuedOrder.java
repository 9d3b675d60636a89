package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.model.PendingOrder;
import java.util.Objects;

/**
 * One message of a batch as the confirmation use case receives it: already read by the adapter (the queue's wire
 * format never reaches {@link ConfirmOrders}). An {@link Unreadable} message is poison: it is counted, reported
 * failed and so ends in the dead-letter queue intact, never dropped.
 */
public sealed interface QueuedOrder permits QueuedOrder.Readable, QueuedOrder.Unreadable {
    /** The transport's id of the message, reported back when it failed. */
    String messageId();

    /** A message that holds a valid order. */
    record Readable(String messageId, PendingOrder order) implements QueuedOrder {
        public Readable {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(order, "order");
        }
    }

    /** A message that could not be read; {@code reason} describes the broken rule, never the content. */
    record Unreadable(String messageId, String reason) implements QueuedOrder {
        public Unreadable {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
