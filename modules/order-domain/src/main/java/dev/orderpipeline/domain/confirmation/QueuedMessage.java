package dev.orderpipeline.domain.confirmation;

import java.util.Objects;

/** One message of a batch as the confirmation stage sees it: its transport id and its raw body. */
public record QueuedMessage(String messageId, String body) {
    public QueuedMessage {
        Objects.requireNonNull(messageId, "messageId");
    }
}
