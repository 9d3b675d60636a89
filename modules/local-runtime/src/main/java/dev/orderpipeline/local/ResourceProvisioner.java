package dev.orderpipeline.local;

import static dev.orderpipeline.local.PipelineResources.*;

import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.history.OrderHistoryTable;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates the pipeline's resources the way {@code template.yaml} declares them, idempotently, against any
 * AWS-compatible endpoint (the embedded emulators or LocalStack): running it twice changes nothing, and settings
 * that differ (a shorter visibility timeout for tests) are updated in place.
 */
final class ResourceProvisioner {
    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;
    private final EventBridgeClient eventBridge;

    ResourceProvisioner(SqsClient sqs, DynamoDbClient dynamoDb, EventBridgeClient eventBridge) {
        this.sqs = sqs;
        this.dynamoDb = dynamoDb;
        this.eventBridge = eventBridge;
    }

    Provisioned provision(String stack, int visibilityTimeoutSeconds, int maxReceiveCount) {
        String dlqUrl = queue(physicalName(stack, ORDERS_DLQ), Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"));
        String dlqArn = arn(dlqUrl);
        String ordersUrl = queue(physicalName(stack, ORDERS_QUEUE), Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, "345600",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}"));
        String subscriberDlqUrl = queue(physicalName(stack, SUBSCRIBER_DLQ), Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"));
        String subscriberUrl = queue(physicalName(stack, SUBSCRIBER_QUEUE), Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn(subscriberDlqUrl) + "\",\"maxReceiveCount\":\"5\"}"));

        String table = physicalName(stack, ORDERS_TABLE);
        try {
            dynamoDb.createTable(OrdersTable.createTableRequest(table));
        } catch (ResourceInUseException e) {
            // already there (a restart with --data-dir, or LocalStack)
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));

        String bus = physicalName(stack, EVENT_BUS);
        try {
            eventBridge.createEventBus(b -> b.name(bus));
        } catch (ResourceAlreadyExistsException e) {
            // already there
        }
        String rule = physicalName(stack, SUBSCRIBER_RULE);
        eventBridge.putRule(b -> b.name(rule).eventBusName(bus).eventPattern(ORDER_CONFIRMED_PATTERN).state(RuleState.ENABLED)
                .description("Example subscriber: every OrderConfirmed into one SQS queue"));
        eventBridge.putTargets(b -> b.rule(rule).eventBusName(bus)
                .targets(Target.builder().id("subscriber-queue").arn(arn(subscriberUrl)).build()));

        return new Provisioned(stack, ordersUrl, arn(ordersUrl), dlqUrl, dlqArn, subscriberUrl, subscriberDlqUrl, table, bus, rule);
    }

    /** The example subscriber's own resources (template.yaml: OrderHistoryRule, -Queue, -DeadLetterQueue, -Table). */
    record HistoryResources(String queueUrl, String queueArn, String deadLetterQueueUrl, String tableName) {
    }

    HistoryResources provisionOrderHistory(String stack, String bus) {
        String dlqUrl = queue(physicalName(stack, HISTORY_DLQ), Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"));
        String queueUrl = queue(physicalName(stack, HISTORY_QUEUE), Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(6 * HISTORY_TIMEOUT_SECONDS),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, "345600",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn(dlqUrl) + "\",\"maxReceiveCount\":\"" + HISTORY_MAX_RECEIVE_COUNT + "\"}"));
        String table = physicalName(stack, HISTORY_TABLE);
        try {
            dynamoDb.createTable(OrderHistoryTable.createTableRequest(table));
        } catch (ResourceInUseException e) {
            // already there
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        String rule = physicalName(stack, HISTORY_RULE);
        eventBridge.putRule(b -> b.name(rule).eventBusName(bus).eventPattern(ORDER_CONFIRMED_PATTERN).state(RuleState.ENABLED)
                .description("Every OrderConfirmed into the order-history subscriber's own queue"));
        eventBridge.putTargets(b -> b.rule(rule).eventBusName(bus)
                .targets(Target.builder().id("order-history-queue").arn(arn(queueUrl)).build()));
        return new HistoryResources(queueUrl, arn(queueUrl), dlqUrl, table);
    }

    /** The archive's name and ARN, and the ARN of the bus it archives ({@code orders events replay} needs both). */
    record ArchiveResources(String eventBusArn, String archiveName, String archiveArn) {
    }

    /**
     * template.yaml's OrderConfirmedArchive, same pattern: every OrderConfirmed of the bus. An archive found from an
     * earlier start (with a data dir, or on LocalStack) is kept with its events.
     */
    ArchiveResources provisionArchive(String stack, String bus) {
        String busArn = eventBridge.describeEventBus(b -> b.name(bus)).arn();
        String name = stack + "-" + ARCHIVE_NAME_SUFFIX;
        String arn;
        try {
            arn = eventBridge.createArchive(b -> b.archiveName(name).eventSourceArn(busArn)
                    .eventPattern(ORDER_CONFIRMED_PATTERN).retentionDays(ARCHIVE_RETENTION_DAYS)
                    .description("Every OrderConfirmed, for replays to new or recovering subscribers.")).archiveArn();
        } catch (ResourceAlreadyExistsException e) {
            arn = eventBridge.describeArchive(b -> b.archiveName(name)).archiveArn();
        }
        return new ArchiveResources(busArn, name, arn);
    }

    private String queue(String name, Map<QueueAttributeName, String> attributes) {
        try {
            return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        } catch (QueueNameExistsException e) {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(new HashMap<>(attributes)));
            return url;
        }
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
