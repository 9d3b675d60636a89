package dev.orderpipeline.history;

import dev.orderpipeline.events.InvalidEventException;
import dev.orderpipeline.events.OrderConfirmedV1;
import dev.orderpipeline.events.OrderConfirmedV1Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber's use case, plain Java: each queued EventBridge event becomes one entry in its customer's history.
 *
 * <p>Every message is handled on its own: a poison message (not a readable OrderConfirmed v1) or a failed write is
 * reported as a batch item failure, so SQS redelivers it and, after the queue's maxReceiveCount, moves it to the DLQ,
 * from where it can be replayed; the rest of the batch is unaffected. Nothing is ever dropped.
 */
public final class OrderHistory {
    private static final Logger LOG = LoggerFactory.getLogger(OrderHistory.class);

    /** One SQS message: its id (for batch item failures) and its body (the whole EventBridge event). */
    public record Delivery(String messageId, String body) {
        public Delivery {
            Objects.requireNonNull(messageId, "messageId");
        }
    }

    public record BatchResult(int recorded, int duplicates, int poison, List<String> failedMessageIds) {
        public BatchResult {
            failedMessageIds = List.copyOf(failedMessageIds);
        }
    }

    private final OrderHistoryStore store;

    public OrderHistory(OrderHistoryStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public BatchResult process(List<Delivery> batch) {
        int recorded = 0;
        int duplicates = 0;
        int poison = 0;
        List<String> failed = new ArrayList<>();
        for (Delivery d : batch) {
            OrderConfirmedV1 event;
            try {
                event = OrderConfirmedV1Json.readEventBridgeEvent(d.body());
            } catch (InvalidEventException | IllegalArgumentException e) {
                // the message names the field, never its content
                LOG.error("poison message {}: {}; reported failed, it will reach the DLQ", d.messageId(), e.getMessage());
                poison++;
                failed.add(d.messageId());
                continue;
            }
            try {
                switch (store.record(event)) {
                    case RECORDED -> {
                        recorded++;
                        // the customer id is personal data (docs/security.md): the order identifies the history
                        LOG.info("order {} ({}) added to its customer's history", event.orderNumber(), event.orderId());
                    }
                    case DUPLICATE -> {
                        duplicates++;
                        LOG.info("order {} ({}) already in its customer's history; unchanged", event.orderNumber(), event.orderId());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("message {}: history not written ({}); reported failed for a retry", d.messageId(), e.getMessage());
                failed.add(d.messageId());
            }
        }
        return new BatchResult(recorded, duplicates, poison, failed);
    }
}
