package dev.orderpipeline.domain.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.model.FieldError;
import dev.orderpipeline.domain.model.InvalidOrderException;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.Timestamps;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The order-queue message body (version 1):
 * <pre>{"messageVersion":1,"orderId":"…","submittedAt":"2026-11-26T10:00:00.123Z","order":{…submission…}}</pre>
 *
 * <p>The confirmation stage reads messages that may not come from intake (a replay, an operator, a bug), so
 * reading validates the whole document again with the very validator of {@code POST /orders}
 * ({@link OrderSubmissionJson#read}); the envelope adds only {@code messageVersion}, {@code orderId} and a bounded
 * {@code submittedAt} ({@link Timestamps}).
 */
public final class OrderMessageJson {
    public static final int MESSAGE_VERSION = 1;

    private OrderMessageJson() {
    }

    public static String write(PendingOrder order) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("messageVersion", MESSAGE_VERSION);
        root.put("orderId", order.orderId().value());
        root.put("submittedAt", order.submittedAt().toString());
        root.set("order", OrderSubmissionJson.write(order.submission()));
        return OrderJson.write(root);
    }

    /**
     * One queue message as the confirmation use case takes it: the order, or why it cannot be read (poison, left
     * for the dead-letter queue). The reason names rules and pointers, never the message's content.
     */
    public static QueuedOrder toQueuedOrder(String messageId, String body) {
        try {
            return new QueuedOrder.Readable(messageId, read(body));
        } catch (MalformedJsonException | InvalidOrderException e) {
            return new QueuedOrder.Unreadable(messageId, e.getMessage());
        }
    }

    /** @throws MalformedJsonException or {@link InvalidOrderException} (with pointers into the message) */
    public static PendingOrder read(String body) {
        JsonNode root = OrderJson.parse(body);
        if (!root.isObject()) {
            throw new InvalidOrderException(List.of(new FieldError("", "type", "a queue message must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode version = root.get("messageVersion");
        if (version == null || !version.isInt() || version.intValue() != MESSAGE_VERSION) {
            errors.add(new FieldError("/messageVersion", "unsupported_version", "messageVersion must be " + MESSAGE_VERSION));
        }
        JsonNode id = root.get("orderId");
        if (id == null || !id.isTextual() || !OrderId.isValid(id.textValue())) {
            errors.add(new FieldError("/orderId", "invalid_format", "orderId must be a lowercase canonical UUID"));
        }
        Instant submittedAt = null;
        JsonNode at = root.get("submittedAt");
        if (at == null || !at.isTextual()) {
            errors.add(new FieldError("/submittedAt", "required", "submittedAt must be an RFC 3339 UTC timestamp"));
        } else {
            submittedAt = Timestamps.parse(at.textValue()).orElse(null);
            if (submittedAt == null) {
                errors.add(new FieldError("/submittedAt", "invalid_format", "submittedAt must be an RFC 3339 UTC timestamp"
                        + " with a four-digit year, between " + Timestamps.EARLIEST + " and " + Timestamps.LATEST));
            }
        }
        OrderSubmission submission = null;
        try {
            submission = OrderSubmissionJson.read(root.get("order"), "/order");
        } catch (InvalidOrderException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidOrderException(errors);
        }
        return new PendingOrder(new OrderId(id.textValue()), submittedAt, submission);
    }
}
