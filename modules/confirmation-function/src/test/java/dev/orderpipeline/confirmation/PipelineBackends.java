package dev.orderpipeline.confirmation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.aws.StrictNumberAllocator;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.port.EventPublisher;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.emulator.dynamodb.Contention;
import dev.orderpipeline.emulator.dynamodb.DynamoDbEmulator;
import dev.orderpipeline.emulator.eventbridge.EventBridgeEmulator;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The confirmation stage's real backends on this machine: DynamoDB and EventBridge endpoints and an ElasticMQ
 * subscriber queue that receives every OrderConfirmed through a rule, all driven with the production SDK adapters.
 */
final class PipelineBackends implements AutoCloseable {
    static final String TABLE = "orders-it";
    static final String BUS = "order-events-it";
    static final String SOURCE = "order-pipeline";

    final DynamoDbEmulator dynamo;
    final SQSRestServer sqsServer;
    final SqsClient sqs;
    final EventBridgeEmulator eventBridge;
    final DynamoDbClient dynamoDb;
    final EventBridgeClient eventBridgeClient;
    final String subscriberQueueUrl;

    /** Counts the conflicts and throttles DynamoDB answered to every client built by {@link #handler}. */
    final ContentionCounter contention = new ContentionCounter();
    private final AwsClients clients;

    PipelineBackends() {
        this(Contention.NONE);
    }

    /** With the DynamoDB endpoint reproducing this much of DynamoDB's contention. */
    PipelineBackends(Contention dynamoDbContention) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        dynamo = DynamoDbEmulator.start(0, dynamoDbContention);
        sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        sqs = AwsClients.forEndpoint("us-east-1", URI.create("http://127.0.0.1:" + sqsPort), credentials).build(SqsClient.builder());
        eventBridge = EventBridgeEmulator.start(0, sqs);
        dynamoDb = AwsClients.forEndpoint("us-east-1", dynamo.endpoint(), credentials).build(DynamoDbClient.builder());
        eventBridgeClient = AwsClients.forEndpoint("us-east-1", eventBridge.endpoint(), credentials).build(EventBridgeClient.builder());

        clients = AwsClients.forEndpoint("us-east-1", dynamo.endpoint(), credentials)
                .withServiceEndpoint(EventBridgeClientBuilder.class, eventBridge.endpoint())
                .withInterceptors(List.of(contention));
        dynamoDb.createTable(OrdersTable.createTableRequest(TABLE));
        subscriberQueueUrl = sqs.createQueue(b -> b.queueName("subscriber-it")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(subscriberQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        eventBridgeClient.createEventBus(b -> b.name(BUS));
        eventBridgeClient.putRule(b -> b.name("all-confirmed").eventBusName(BUS)
                .eventPattern("{\"source\":[\"" + SOURCE + "\"],\"detail-type\":[\"OrderConfirmed\"]}"));
        eventBridgeClient.putTargets(b -> b.rule("all-confirmed").eventBusName(BUS)
                .targets(Target.builder().id("subscriber").arn(queueArn).build()));
    }

    /**
     * A fresh confirmation handler built as Lambda builds it (its own SDK clients, configuration from the
     * environment): what a new container starts with.
     */
    ConfirmationHandler handler(String mode, int blockSize, ConfirmationMetrics results) {
        return handler(mode, blockSize, results, List.of());
    }

    /** The same, its SDK clients also running {@code interceptors} (to count or fault their calls). */
    ConfirmationHandler handler(String mode, int blockSize, ConfirmationMetrics results, List<? extends ExecutionInterceptor> interceptors) {
        return new ConfirmationHandler(new Env(Map.of(
                "ORDERS_TABLE", TABLE, "EVENT_BUS_NAME", BUS, "EVENT_SOURCE", SOURCE,
                "ORDER_NUMBER_MODE", mode, "ORDER_NUMBER_BLOCK_SIZE", Integer.toString(blockSize))),
                clients.withInterceptors(interceptors), results);
    }

    /** Conflicts and throttles as the endpoint itself counted them. */
    String endpointCounts() {
        return dynamo.engine().transactionConflicts() + " transaction conflicts, " + dynamo.engine().throttledRequests() + " throttles";
    }

    OrderStore store() {
        return new DynamoDbOrderStore(dynamoDb, TABLE);
    }

    /** A fresh allocator: what a new Lambda container (or a restarted one) starts with. */
    OrderNumberAllocator allocator(String mode) {
        return "block".equals(mode) ? new BlockNumberAllocator(dynamoDb, TABLE, 7) : new StrictNumberAllocator(dynamoDb, TABLE);
    }

    EventPublisher publisher() {
        return new EventBridgeOrderPublisher(eventBridgeClient, BUS, SOURCE);
    }

    /** Every item of the table, by partition key. */
    Map<String, Map<String, AttributeValue>> scanTable() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(TABLE)).items().forEach(i -> items.put(i.get(OrdersTable.PK).s(), i));
        return items;
    }

    /** Drains the subscriber queue: the envelopes of every event delivered so far. */
    List<JsonNode> drainSubscriber() {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(subscriberQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return events;
            }
            for (Message m : batch) {
                events.add(OrderJson.parse(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(subscriberQueueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    @Override
    public void close() {
        dynamoDb.close();
        eventBridgeClient.close();
        eventBridge.close();
        sqs.close();
        sqsServer.stopAndWait();
        dynamo.close();
    }
}
