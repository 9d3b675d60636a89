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

    /** Physical-name suffixes, keyed by logical ID. */
    public static final Map<String, String> NAME_SUFFIXES = Map.of(
            ORDERS_QUEUE, "orders",
            ORDERS_DLQ, "orders-dlq",
            ORDERS_TABLE, "orders",
            EVENT_BUS, "order-events",
            SUBSCRIBER_RULE, "order-confirmed-subscriber",
            SUBSCRIBER_QUEUE, "order-confirmed-subscriber",
            SUBSCRIBER_DLQ, "order-confirmed-subscriber-dlq");

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
