package dev.orderpipeline.local;

/** The physical resources the local runtime created (or found) and wired together. */
public record Provisioned(String stack, String ordersQueueUrl, String ordersQueueArn, String deadLetterQueueUrl,
                   String deadLetterQueueArn, String subscriberQueueUrl, String subscriberDeadLetterQueueUrl,
                   String tableName, String eventBusName, String subscriberRuleName) {
}
