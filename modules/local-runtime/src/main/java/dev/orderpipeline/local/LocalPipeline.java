package dev.orderpipeline.local;

import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.confirmation.ConfirmationConfig;
import dev.orderpipeline.confirmation.ConfirmationHandler;
import dev.orderpipeline.emulator.dynamodb.DynamoDbEmulator;
import dev.orderpipeline.emulator.eventbridge.EventBridgeEmulator;
import dev.orderpipeline.intake.IntakeHandler;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline in one process: emulators (or an external endpoint such as LocalStack), the resources of
 * {@code template.yaml}, the production intake and confirmation handlers behind a local HTTP API and an SQS event
 * source. {@link #close()} stops it in reverse order, letting in-flight batches finish first.
 */
public final class LocalPipeline implements AutoCloseable {
    private final LocalSettings settings;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final URI awsEndpoint;
    private final Provisioned provisioned;
    private final LocalHttpApi httpApi;
    private final SqsEventSource eventSource;
    private final AwsClients clients;
    private final EventBridgeEmulator eventBridgeEmulator;

    private LocalPipeline(LocalSettings settings, Consumer<String> trail) {
        this.settings = settings;
        try {
            AwsCredentialsProvider credentials;
            if (settings.endpoint().isPresent()) {
                awsEndpoint = settings.endpoint().get();
                credentials = hasCredentialsInEnvironment()
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
                eventBridgeEmulator = null;
            } else {
                credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
                int awsPort = Ports.requireFree("AWS endpoint", settings.awsPort());
                SQSRestServer sqsServer = startElasticMq(Ports.requireFree("SQS emulator", settings.sqsPort()), awsPort);
                URI sqsUri = URI.create("http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort());
                resources.push(sqsServer::stopAndWait);
                DynamoDbEmulator dynamo = DynamoDbEmulator.start(settings.dynamoDbPort(), settings.dataDir().orElse(null));
                resources.push(dynamo);
                SqsClient deliveryClient = AwsClients.forEndpoint(settings.region(), sqsUri, credentials).build(SqsClient.builder());
                resources.push(deliveryClient);
                eventBridgeEmulator = EventBridgeEmulator.start(settings.eventBridgePort(), deliveryClient, settings.region(), "000000000000");
                resources.push(eventBridgeEmulator);
                AwsFrontDoor door = AwsFrontDoor.start(awsPort, sqsUri, dynamo.endpoint(), eventBridgeEmulator.endpoint());
                resources.push(door);
                awsEndpoint = door.endpoint();
            }
            clients = AwsClients.forEndpoint(settings.region(), awsEndpoint, credentials);
            SqsClient sqs = clients.build(SqsClient.builder());
            resources.push(sqs);
            try (DynamoDbClient dynamoDb = clients.build(DynamoDbClient.builder());
                 EventBridgeClient eventBridge = clients.build(EventBridgeClient.builder())) {
                provisioned = new ResourceProvisioner(sqs, dynamoDb, eventBridge)
                        .provision(settings.stack(), settings.visibilityTimeoutSeconds(), settings.maxReceiveCount());
            }

            // the same variables template.yaml sets on the two functions (both read ORDERS_TABLE)
            Map<String, String> variables = new HashMap<>();
            variables.put(IntakeHandler.ENV_ORDER_QUEUE_URL, provisioned.ordersQueueUrl());
            variables.put(IntakeHandler.ENV_ORDERS_TABLE, provisioned.tableName());
            variables.put(ConfirmationConfig.ENV_ORDERS_TABLE, provisioned.tableName());
            variables.put(ConfirmationConfig.ENV_EVENT_BUS_NAME, provisioned.eventBusName());
            variables.put(ConfirmationConfig.ENV_EVENT_SOURCE, PipelineResources.EVENT_SOURCE);
            variables.put(ConfirmationConfig.ENV_ORDER_NUMBER_MODE, settings.numberMode());
            variables.put(ConfirmationConfig.ENV_ORDER_NUMBER_BLOCK_SIZE, Integer.toString(settings.blockSize()));
            // EMF metric lines would drown the readable console; the handlers honour Powertools' own switch
            variables.put("POWERTOOLS_METRICS_DISABLED", "true");
            Env env = new Env(variables);
            eventSource = new SqsEventSource(sqs, provisioned.ordersQueueUrl(), provisioned.ordersQueueArn(),
                    settings.region(), new ConfirmationHandler(env, clients), settings.pollers(), settings.batchSize(),
                    settings.batchingWindow());
            eventSource.start();
            resources.push(eventSource);
            httpApi = LocalHttpApi.start(settings.httpPort(), new IntakeHandler(env, clients), trail);
            resources.push(httpApi);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static LocalPipeline start(LocalSettings settings) {
        return new LocalPipeline(settings, line -> org.slf4j.LoggerFactory.getLogger("trail").info(line));
    }

    private static SQSRestServer startElasticMq(int port, int advertisedPort) {
        return SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(port)
                // queue URLs point at the single AWS endpoint, like LocalStack's
                .withServerAddress(new NodeAddress("http", "localhost", advertisedPort, ""))
                .withAWSAccountId("000000000000")
                .start();
    }

    private static boolean hasCredentialsInEnvironment() {
        return System.getenv("AWS_ACCESS_KEY_ID") != null || System.getenv("AWS_PROFILE") != null;
    }

    public URI httpApiUrl() {
        return httpApi.url();
    }

    public URI awsEndpoint() {
        return awsEndpoint;
    }

    public String region() {
        return settings.region();
    }

    public Provisioned resources() {
        return provisioned;
    }

    public AwsClients clients() {
        return clients;
    }

    /** The embedded EventBridge endpoint, for fault injection in tests; empty against an external endpoint. */
    public Optional<EventBridgeEmulator> eventBridgeEmulator() {
        return Optional.ofNullable(eventBridgeEmulator);
    }

    public boolean embedded() {
        return settings.endpoint().isEmpty();
    }

    /** Stops in reverse start order: HTTP API, then the event source (in-flight batches finish), then the emulators. */
    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(LocalPipeline.class).warn("error while stopping: {}", e.getMessage());
            }
        }
    }
}
