package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
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
 * The confirmation stage's real backends, all driven with the production SDK adapters: a DynamoDB table, an
 * EventBridge bus and an SQS subscriber queue that receives every OrderConfirmed through a rule.
 *
 * <p>By default they run on this machine (the project's DynamoDB and EventBridge endpoints, ElasticMQ). With
 * {@code -Dit.endpoint=URL} (or {@code AWS_ENDPOINT_URL}) they are created on that running AWS-compatible endpoint
 * instead (LocalStack, another emulator), and with {@code -Dit.endpoint=aws} on real AWS ({@code -Dit.region},
 * {@code -Dit.profile}); each run creates uniquely named resources and deletes them in {@link #close}.
 */
final class PipelineBackends implements AutoCloseable {
    static final String SOURCE = "order-pipeline";
    /** The running endpoint the suites are pointed at, if any. */
    static final Optional<String> EXTERNAL = Optional.ofNullable(System.getProperty("it.endpoint"))
            .or(() -> Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL"))).filter(e -> !e.isBlank());

    final String table;
    final String bus;
    final String rule;
    /** The embedded endpoints; null against an external endpoint. */
    final DynamoDbEmulator dynamo;
    final SQSRestServer sqsServer;
    final EventBridgeEmulator eventBridge;
    final SqsClient sqs;
    final DynamoDbClient dynamoDb;
    final EventBridgeClient eventBridgeClient;
    final String subscriberQueueUrl;
    /** Counts the conflicts and throttles DynamoDB answered to every client built by {@link #clients}. */
    final ContentionCounter contention = new ContentionCounter();
    private final AwsClients clients;

    PipelineBackends() {
        this(Contention.NONE);
    }

    /** With the embedded DynamoDB endpoint reproducing this much of DynamoDB's contention (ignored when external). */
    PipelineBackends(Contention dynamoDbContention) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        table = "orders-it-" + run;
        bus = "order-events-it-" + run;
        rule = "all-confirmed-" + run;
        AwsClients base;
        if (EXTERNAL.isPresent()) {
            dynamo = null;
            sqsServer = null;
            eventBridge = null;
            base = externalClients(EXTERNAL.get());
            sqs = base.build(SqsClient.builder());
        } else {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
            dynamo = DynamoDbEmulator.start(0, dynamoDbContention);
            sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
            int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
            sqs = AwsClients.forEndpoint("us-east-1", URI.create("http://127.0.0.1:" + sqsPort), credentials).build(SqsClient.builder());
            eventBridge = EventBridgeEmulator.start(0, sqs);
            base = AwsClients.forEndpoint("us-east-1", dynamo.endpoint(), credentials)
                    .withServiceEndpoint(EventBridgeClientBuilder.class, eventBridge.endpoint());
        }
        clients = base.withInterceptors(List.of(contention));
        dynamoDb = base.build(DynamoDbClient.builder());
        eventBridgeClient = base.build(EventBridgeClient.builder());

        dynamoDb.createTable(OrdersTable.createTableRequest(table));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        subscriberQueueUrl = sqs.createQueue(b -> b.queueName("subscriber-it-" + run)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(subscriberQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        if (EXTERNAL.isPresent()) {
            // a real bus delivers to the queue only if the queue's policy lets this rule send to it
            sqs.setQueueAttributes(b -> b.queueUrl(subscriberQueueUrl).attributes(Map.of(QueueAttributeName.POLICY,
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},"
                            + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + queueArn + "\"}]}")));
        }
        eventBridgeClient.createEventBus(b -> b.name(bus));
        eventBridgeClient.putRule(b -> b.name(rule).eventBusName(bus)
                .eventPattern("{\"source\":[\"" + SOURCE + "\"],\"detail-type\":[\"OrderConfirmed\"]}"));
        eventBridgeClient.putTargets(b -> b.rule(rule).eventBusName(bus)
                .targets(Target.builder().id("subscriber").arn(queueArn).build()));
    }

    /** True where the endpoints are this machine's own (fault injection, endpoint-side counts). */
    boolean embedded() {
        return dynamo != null;
    }

    /**
     * Clients for an external endpoint: a URL (LocalStack and other emulators: any credentials) or {@code aws}. The
     * build pins {@code AWS_REGION} and test credentials so that no test reaches a real account by accident, so real
     * AWS takes its region from {@code -Dit.region} and its credentials from the shared profile {@code -Dit.profile}.
     */
    private static AwsClients externalClients(String endpoint) {
        String region = System.getProperty("it.region", Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1"));
        if (endpoint.equals("aws")) {
            return AwsClients.forRegion(region, ProfileCredentialsProvider.create(System.getProperty("it.profile", "default")));
        }
        return AwsClients.forEndpoint(region, URI.create(endpoint), StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    /**
     * Fails unless the run met the contention its numbering mode must survive: a guarantee run without it proves
     * nothing about it. Strict mode: real transaction conflicts and throttling. Block mode stores an order with a
     * single conditional put, so no transaction is left to conflict: throttling, and copies of one order refused by
     * the order's condition. The embedded endpoint is configured to produce them. An external endpoint decides for
     * itself (real DynamoDB conflicts but throttles only far above what a test asks; some emulators serialise every
     * request), so there the counts are reported, not required.
     */
    void requireContentionMet(String mode) {
        boolean strict = "strict".equals(mode);
        AtomicInteger collisions = strict ? contention.transactionConflicts : contention.conditionFailures;
        String what = strict ? "real transaction conflicts met" : "copies of an order refused by its condition";
        if (embedded()) {
            assertThat(collisions).as(what).hasPositiveValue();
            assertThat(contention.throttles).as("real throttling met").hasPositiveValue();
        } else if (collisions.get() == 0 || contention.throttles.get() == 0) {
            System.out.printf("NOTE: the endpoint answered %s: the invariants held, but this run shows nothing about the "
                    + "contention it did not produce%n", contention);
        }
    }

    /** The factory the handlers' clients come from, already counting contention. */
    AwsClients clients() {
        return clients;
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
                "ORDERS_TABLE", table, "EVENT_BUS_NAME", bus, "EVENT_SOURCE", SOURCE,
                "ORDER_NUMBER_MODE", mode, "ORDER_NUMBER_BLOCK_SIZE", Integer.toString(blockSize))),
                clients.withInterceptors(interceptors), results);
    }

    /** Conflicts and throttles as the endpoint itself counted them, where it is the embedded one. */
    String endpointCounts() {
        if (!embedded()) {
            return "(not known: external endpoint)";
        }
        return dynamo.engine().transactionConflicts() + " transaction conflicts, " + dynamo.engine().throttledRequests() + " throttles";
    }

    OrderStore store() {
        return new DynamoDbOrderStore(dynamoDb, table);
    }

    /** A fresh allocator: what a new Lambda container (or a restarted one) starts with. */
    OrderNumberAllocator allocator(String mode) {
        return "block".equals(mode) ? new BlockNumberAllocator(dynamoDb, table, 7) : new StrictNumberAllocator(dynamoDb, table);
    }

    EventPublisher publisher() {
        return new EventBridgeOrderPublisher(eventBridgeClient, bus, SOURCE);
    }

    /** Every item of the table, by partition key. */
    Map<String, Map<String, AttributeValue>> scanTable() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(i -> items.put(i.get(OrdersTable.PK).s(), i));
        return items;
    }

    /** Drains the subscriber queue: the envelopes of every event delivered so far. */
    List<JsonNode> drainSubscriber() {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            // the embedded bus delivers before PutEvents answers; a real one a little later: wait a few seconds for more
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(subscriberQueueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(embedded() ? 0 : 2)).messages();
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
        try {
            eventBridgeClient.removeTargets(b -> b.rule(rule).eventBusName(bus).ids("subscriber"));
            eventBridgeClient.deleteRule(b -> b.name(rule).eventBusName(bus));
            eventBridgeClient.deleteEventBus(b -> b.name(bus));
            sqs.deleteQueue(b -> b.queueUrl(subscriberQueueUrl));
            dynamoDb.deleteTable(b -> b.tableName(table));
        } catch (RuntimeException e) {
            if (!embedded()) {
                System.out.printf("could not delete every resource of this run (%s, %s, %s): %s%n", table, bus, subscriberQueueUrl, e);
            }
        } finally {
            dynamoDb.close();
            eventBridgeClient.close();
            sqs.close();
            if (embedded()) {
                eventBridge.close();
                sqsServer.stopAndWait();
                dynamo.close();
            }
        }
    }
}
