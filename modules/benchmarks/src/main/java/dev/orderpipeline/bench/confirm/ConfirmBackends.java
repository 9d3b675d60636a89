package dev.orderpipeline.bench.confirm;

import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.emulator.dynamodb.DynamoDbEmulator;
import dev.orderpipeline.emulator.eventbridge.EventBridgeEmulator;
import dev.orderpipeline.local.LocalPipeline;
import dev.orderpipeline.local.LocalSettings;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The confirmation stage's backends: the in-repo DynamoDB and EventBridge endpoints, with an ElasticMQ subscriber
 * queue behind a rule (as {@code PipelineBackends} in the confirmation function's tests wires them), spoken to
 * directly; or the local runtime's single front door, as the e2e benchmark's pipeline speaks to them.
 */
final class ConfirmBackends implements AutoCloseable {
    static final String SOURCE = "order-pipeline";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final URI dynamoDbEndpoint;
    private final URI eventBridgeEndpoint;
    final String table;
    final String bus;
    private final SqsClient sqs;
    private final String subscriberQueueUrl;
    final String description;

    private ConfirmBackends(boolean frontDoor) {
        if (frontDoor) {
            LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests().withPollers(1));
            resources.push(pipeline);
            dynamoDbEndpoint = pipeline.awsEndpoint();
            eventBridgeEndpoint = pipeline.awsEndpoint();
            table = pipeline.resources().tableName();
            bus = pipeline.resources().eventBusName();
            sqs = pipeline.clients().build(SqsClient.builder());
            subscriberQueueUrl = pipeline.resources().subscriberQueueUrl();
            description = "through the local runtime's front door (" + pipeline.awsEndpoint() + ")";
            return;
        }
        DynamoDbEmulator dynamo = DynamoDbEmulator.start(0);
        resources.push(dynamo);
        SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        resources.push(sqsServer::stopAndWait);
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        sqs = AwsClients.forEndpoint("us-east-1", URI.create("http://127.0.0.1:" + sqsPort), CREDENTIALS).build(SqsClient.builder());
        resources.push(sqs);
        EventBridgeEmulator eventBridge = EventBridgeEmulator.start(0, sqs);
        resources.push(eventBridge);
        dynamoDbEndpoint = dynamo.endpoint();
        eventBridgeEndpoint = eventBridge.endpoint();
        table = "orders-bench";
        bus = "order-events-bench";
        try (DynamoDbClient dynamoDb = AwsClients.forEndpoint("us-east-1", dynamoDbEndpoint, CREDENTIALS).build(DynamoDbClient.builder());
             EventBridgeClient events = AwsClients.forEndpoint("us-east-1", eventBridgeEndpoint, CREDENTIALS).build(EventBridgeClient.builder())) {
            dynamoDb.createTable(OrdersTable.createTableRequest(table));
            subscriberQueueUrl = sqs.createQueue(b -> b.queueName("subscriber-bench")).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(subscriberQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            events.createEventBus(b -> b.name(bus));
            events.putRule(b -> b.name("all-confirmed").eventBusName(bus)
                    .eventPattern("{\"source\":[\"" + SOURCE + "\"],\"detail-type\":[\"OrderConfirmed\"]}"));
            events.putTargets(b -> b.rule("all-confirmed").eventBusName(bus)
                    .targets(Target.builder().id("subscriber").arn(queueArn).build()));
        }
        description = "direct to the emulators (DynamoDB " + dynamoDbEndpoint + ", EventBridge " + eventBridgeEndpoint + ")";
    }

    static ConfirmBackends start(boolean frontDoor) {
        return new ConfirmBackends(frontDoor);
    }

    /** Clients as one function instance builds them: its own HTTP client, region, timeouts. */
    DynamoDbClient dynamoDb() {
        return AwsClients.forEndpoint("us-east-1", dynamoDbEndpoint, CREDENTIALS).build(DynamoDbClient.builder());
    }

    EventBridgeClient eventBridge() {
        return AwsClients.forEndpoint("us-east-1", eventBridgeEndpoint, CREDENTIALS).build(EventBridgeClient.builder());
    }

    /** The subscriber queue fills with one message per event: emptied between cells so memory stays flat. */
    void purgeSubscriber() {
        sqs.purgeQueue(b -> b.queueUrl(subscriberQueueUrl));
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }
}
