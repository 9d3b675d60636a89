package dev.orderpipeline.local;

import java.util.Map;

/**
 * The pipeline's resources as {@code template.yaml} declares them: logical IDs, and the settings the local runtime
 * must reproduce (redrive policy, visibility timeout, event pattern). A contract test reads the template and checks
 * it against these constants, so the two cannot drift apart.
 *
 * <p>Physical names are {@code <stack>-<suffix>}, as the template names them with {@code !Sub ${AWS::StackName}-…}.
 */
public final class PipelineResources {
    public static final String ORDERS_QUEUE = "OrdersQueue";
    public static final String ORDERS_DLQ = "OrdersDeadLetterQueue";
    public static final String ORDERS_TABLE = "OrdersTable";
    public static final String EVENT_BUS = "OrderEventsBus";
    public static final String SUBSCRIBER_RULE = "OrderConfirmedSubscriberRule";
    public static final String SUBSCRIBER_QUEUE = "OrderConfirmedSubscriberQueue";
    public static final String SUBSCRIBER_DLQ = "OrderConfirmedSubscriberDeadLetterQueue";
    public static final String INTAKE_FUNCTION = "IntakeFunction";
    public static final String CONFIRMATION_FUNCTION = "ConfirmationFunction";
    /** The example subscriber Lambda (modules/order-history-subscriber) and its own resources. */
    public static final String HISTORY_FUNCTION = "OrderHistoryFunction";
    public static final String HISTORY_RULE = "OrderHistoryRule";
    public static final String HISTORY_QUEUE = "OrderHistoryQueue";
    public static final String HISTORY_DLQ = "OrderHistoryDeadLetterQueue";
    public static final String HISTORY_TABLE = "OrderHistoryTable";
    /** The history function's timeout in the template; its queue's visibility timeout is six times it. */
    public static final int HISTORY_TIMEOUT_SECONDS = 30;
    public static final int HISTORY_MAX_RECEIVE_COUNT = 5;
    /**
     * The archive of every OrderConfirmed. The template leaves its name to CloudFormation (naming it now would replace
     * a deployed archive and lose its events); locally it is {@code <stack>-}{@value #ARCHIVE_NAME_SUFFIX}.
     */
    public static final String ORDER_CONFIRMED_ARCHIVE = "OrderConfirmedArchive";
    public static final String ARCHIVE_NAME_SUFFIX = "order-confirmed";
    public static final int ARCHIVE_RETENTION_DAYS = 365;

    /** Physical-name suffixes, keyed by logical ID. */
    public static final Map<String, String> NAME_SUFFIXES = Map.ofEntries(
            Map.entry(HISTORY_RULE, "order-history"),
            Map.entry(HISTORY_QUEUE, "order-history"),
            Map.entry(HISTORY_DLQ, "order-history-dlq"),
            Map.entry(HISTORY_TABLE, "order-history"),
            Map.entry(ORDERS_QUEUE, "orders"),
            Map.entry(ORDERS_DLQ, "orders-dlq"),
            Map.entry(ORDERS_TABLE, "orders"),
            Map.entry(EVENT_BUS, "order-events"),
            Map.entry(SUBSCRIBER_RULE, "order-confirmed-subscriber"),
            Map.entry(SUBSCRIBER_QUEUE, "order-confirmed-subscriber"),
            Map.entry(SUBSCRIBER_DLQ, "order-confirmed-subscriber-dlq"));

    /** The confirmation function's timeout in the template; the queue's visibility timeout is six times it. */
    public static final int CONFIRMATION_TIMEOUT_SECONDS = 30;
    public static final int VISIBILITY_TIMEOUT_SECONDS = 6 * CONFIRMATION_TIMEOUT_SECONDS;
    public static final int MAX_RECEIVE_COUNT = 3;
    public static final int BATCH_SIZE = 10;
    /** 0: invoke as soon as messages are there (batches still fill up to BATCH_SIZE under load); keeps confirmation well under a second. */
    public static final int MAX_BATCHING_WINDOW_SECONDS = 0;
    public static final String EVENT_SOURCE = "order-pipeline";
    /** The example subscriber's rule: every OrderConfirmed from this pipeline. */
    public static final String ORDER_CONFIRMED_PATTERN =
            "{\"source\":[\"" + EVENT_SOURCE + "\"],\"detail-type\":[\"OrderConfirmed\"]}";

    private PipelineResources() {
    }

    public static String physicalName(String stack, String logicalId) {
        String suffix = NAME_SUFFIXES.get(logicalId);
        if (suffix == null) {
            throw new IllegalArgumentException("no physical name for " + logicalId);
        }
        return stack + "-" + suffix;
    }
}
