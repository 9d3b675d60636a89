package dev.orderpipeline.domain.confirmation;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one batch. {@link #failedMessageIds} must be handed back to the queue (SQS
 * {@code batchItemFailures}) so those messages are retried and, after {@code maxReceiveCount}, dead-lettered;
 * every other message of the batch is done and may be deleted.
 */
public record BatchResult(List<String> failedMessageIds, int confirmed, int duplicateDeliveries, int conflicts,
                          int poisonMessages, int publishRetries, List<Duration> confirmationLatencies) {
    public BatchResult {
        failedMessageIds = List.copyOf(failedMessageIds);
        confirmationLatencies = List.copyOf(confirmationLatencies);
    }
}
