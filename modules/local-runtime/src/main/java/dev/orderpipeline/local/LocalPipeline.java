package dev.orderpipeline.local;

import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.confirmation.ConfirmationConfig;
import dev.orderpipeline.confirmation.ConfirmationHandler;
import dev.orderpipeline.history.OrderHistoryConfig;
import dev.orderpipeline.history.OrderHistoryHandler;
import dev.orderpipeline.emulator.dynamodb.DynamoDbEmulator;
import dev.orderpipeline.emulator.eventbridge.EventBridgeEmulator;
import dev.orderpipeline.intake.IntakeHandler;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole pipeline in one process: emulators (or an external endpoint such as LocalStack), the resources of
 * {@code template.yaml}, the production intake and confirmation handlers behind a local HTTP API and an SQS event
 * source. {@link #close()} stops it in reverse order, letting in-flight batches finish first.
 *
 * <p>With a data dir, the embedded SQS keeps its queues and messages there as the DynamoDB endpoint keeps the table
 * ({@link EmbeddedSqs}) and the EventBridge endpoint its archives: whatever was queued, in flight or dead-lettered
 * when the process stopped, however it stopped, is there again at the next start, and yesterday's events can be
 * replayed.
 */
public final class LocalPipeline implements AutoCloseable {
    private static final int PROVISION_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

    private final LocalSettings settings;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final URI awsEndpoint;
    private final Provisioned provisioned;
    private final LocalHttpApi httpApi;
    private final SqsEventSource eventSource;
    private final SqsEventSource historyEventSource;
    private final ResourceProvisioner.HistoryResources history;
    private final ResourceProvisioner.ArchiveResources archive;
    private final AwsClients clients;
    private final AwsClients functionClients;
    private final EventBridgeEmulator eventBridgeEmulator;

    private LocalPipeline(LocalSettings settings, LocalAuth auth, Consumer<String> trail,
                          List<ExecutionInterceptor> intakeInterceptors, List<ExecutionInterceptor> confirmationInterceptors) {
        this.settings = settings;
        try {
            AwsCredentialsProvider credentials;
            // what the functions and the event source call: each embedded emulator directly, as each AWS service has
            // its own endpoint; the front door is for tools (and is what clients() and the endpoints file give out)
            UnaryOperator<AwsClients> direct;
            if (settings.endpoint().isPresent()) {
                direct = UnaryOperator.identity();
                awsEndpoint = settings.endpoint().get();
                credentials = hasCredentialsInEnvironment()
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
                eventBridgeEmulator = null;
            } else {
                credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
                // the front door holds its port before ElasticMQ advertises it in queue URLs: a port that was only
                // checked and released could be taken by anything on the machine before the door binds it
                AwsFrontDoor door = AwsFrontDoor.start(settings.awsPort());
                resources.push(door);
                int awsPort = door.port();
                // port 0 goes to ElasticMQ as is (it binds a free port itself); a fixed port is checked first for the message
                int sqsPort = settings.sqsPort() == 0 ? 0 : Ports.requireFree("SQS emulator", "--sqs-port", settings.sqsPort());
                EmbeddedSqs sqsServer = EmbeddedSqs.start(sqsPort, awsPort, settings.region(),
                        settings.dataDir().orElse(null));
                resources.push(sqsServer);
                URI sqsUri = URI.create("http://127.0.0.1:" + sqsServer.port());
                DynamoDbEmulator dynamo = Ports.start("DynamoDB emulator", "--dynamodb-port", settings.dynamoDbPort(),
                        port -> DynamoDbEmulator.start(port, settings.dataDir().orElse(null)));
                resources.push(dynamo);
                SqsClient deliveryClient = AwsClients.forEndpoint(settings.region(), sqsUri, credentials).build(SqsClient.builder());
                resources.push(deliveryClient);
                eventBridgeEmulator = Ports.start("EventBridge emulator", "--eventbridge-port", settings.eventBridgePort(),
                        port -> EventBridgeEmulator.start(port, deliveryClient, settings.region(), "000000000000",
                                settings.dataDir().orElse(null)));
                resources.push(eventBridgeEmulator);
                door.routeTo(sqsUri, dynamo.endpoint(), eventBridgeEmulator.endpoint());
                awsEndpoint = door.endpoint();
                URI dynamoUri = dynamo.endpoint();
                URI eventBridgeUri = eventBridgeEmulator.endpoint();
                direct = c -> c.withServiceEndpoint(SqsClientBuilder.class, sqsUri)
                        .withServiceEndpoint(DynamoDbClientBuilder.class, dynamoUri)
                        .withServiceEndpoint(EventBridgeClientBuilder.class, eventBridgeUri);
            }
            clients = AwsClients.forEndpoint(settings.region(), awsEndpoint, credentials);
            functionClients = direct.apply(clients);
            SqsClient sqs = functionClients.build(SqsClient.builder());
            resources.push(sqs);
            try (DynamoDbClient dynamoDb = clients.build(DynamoDbClient.builder());
                 EventBridgeClient eventBridge = clients.build(EventBridgeClient.builder())) {
                ResourceProvisioner provisioner = new ResourceProvisioner(sqs, dynamoDb, eventBridge);
                provisioned = provision(provisioner, settings);
                history = settings.exampleSubscriber()
                        ? provisioner.provisionOrderHistory(settings.stack(), provisioned.eventBusName()) : null;
                archive = provisioner.provisionArchive(settings.stack(), provisioned.eventBusName());
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
            if (history != null) {
                variables.put(OrderHistoryConfig.ENV_HISTORY_TABLE, history.tableName());
            }
            auth.jwtCustomerClaim().ifPresent(claim -> {
                variables.put("AUTH_MODE", "jwt");
                variables.put("JWT_CUSTOMER_CLAIM", claim);
            });
            // EMF metric lines would drown the readable console; the handlers honour Powertools' own switch
            variables.put("POWERTOOLS_METRICS_DISABLED", "true");
            Env env = new Env(variables);
            AwsClients confirmationClients = functionClients.withInterceptors(confirmationInterceptors);
            // one handler per poller: each poller is one function instance, with its own clients and allocator
            eventSource = new SqsEventSource(sqs, provisioned.ordersQueueUrl(), provisioned.ordersQueueArn(),
                    settings.region(), () -> new ConfirmationHandler(env, confirmationClients), settings.pollers(),
                    settings.batchSize(), settings.batchingWindow());
            if (settings.endpoint().isEmpty()) {
                // runs once the event source has stopped, while the queues are still up
                Provisioned queues = provisioned;
                resources.push(() -> reportQueued(sqs, queues, settings.dataDir()));
            }
            resources.push(eventSource); // before start(): pollers that started are stopped if a later one fails
            eventSource.start();
            // the example subscriber, on its own queue like in the template: its log shows its effect per order
            if (history != null) {
                historyEventSource = new SqsEventSource(sqs, history.queueUrl(), history.queueArn(), settings.region(),
                        () -> new OrderHistoryHandler(env, functionClients), 1, settings.batchSize(),
                        settings.batchingWindow());
                resources.push(historyEventSource);
                historyEventSource.start();
            } else {
                historyEventSource = null;
            }
            httpApi = LocalHttpApi.start(settings.httpPort(),
                    new IntakeHandler(env, functionClients.withInterceptors(intakeInterceptors)), trail, auth);
            if (auth.isJwt()) {
                LOG.warn(LocalAuth.WARNING);
            }
            resources.push(httpApi);
        } catch (RuntimeException | Error e) {
            // whatever failed, stop what already started: ElasticMQ's threads would keep the JVM alive
            close();
            throw e;
        }
    }

    public static LocalPipeline start(LocalSettings settings) {
        return startWithFunctionInterceptors(settings, List.of(), List.of());
    }

    /** Like {@link #start(LocalSettings)}, with the HTTP API authenticating as {@code auth} says. */
    public static LocalPipeline start(LocalSettings settings, LocalAuth auth) {
        return new LocalPipeline(settings, auth, line -> LoggerFactory.getLogger("trail").info(line), List.of(), List.of());
    }

    /**
     * Like {@link #start(LocalSettings)}, with extra SDK interceptors on the clients of the two functions only: the
     * intake handler's, and every confirmation handler's. The event source, the provisioning, the EventBridge
     * emulator's deliveries and {@link #clients()} (what tests observe with) stay untouched.
     *
     * <p>For fault injection in tests ({@code HttpFaultSoakIT}): the interceptors throttle, fail, or lose the
     * responses of the functions' AWS calls, so faults hit the production handlers where a real outage would while
     * the test still sees the true state of queues, table and bus.
     */
    static LocalPipeline startWithFunctionInterceptors(LocalSettings settings, List<ExecutionInterceptor> intake,
                                                       List<ExecutionInterceptor> confirmation) {
        return new LocalPipeline(settings, LocalAuth.none(), line -> org.slf4j.LoggerFactory.getLogger("trail").info(line),
                intake, confirmation);
    }

    /**
     * Provisioning is idempotent, so a failed attempt is simply made again. The first calls of a process are the
     * slow ones (every emulator and the SDK warm up at once); on a busy machine one can outlast the client factory's
     * 3 s attempt timeout, which the URLConnection client may even report as a bare RuntimeException that the SDK
     * does not retry.
     */
    private static Provisioned provision(ResourceProvisioner provisioner, LocalSettings settings) {
        for (int attempt = 1; ; attempt++) {
            try {
                return provisioner.provision(settings.stack(), settings.visibilityTimeoutSeconds(), settings.maxReceiveCount());
            } catch (RuntimeException e) {
                if (attempt == PROVISION_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("creating the resources failed (attempt {} of {}), trying again: {}", attempt, PROVISION_ATTEMPTS,
                        e.toString());
            }
        }
    }

    /** Says on stop what stays queued, and whether the next start will find it. */
    private static void reportQueued(SqsClient sqs, Provisioned queues, Optional<java.nio.file.Path> dataDir) {
        int orders = queued(sqs, queues.ordersQueueUrl());
        int dead = queued(sqs, queues.deadLetterQueueUrl());
        if (dataDir.isPresent()) {
            LOG.info("{} order message(s) and {} dead-letter message(s) stay queued in {} for the next start", orders, dead,
                    dataDir.get());
        } else if (orders + dead > 0) {
            LOG.warn("{} order message(s) and {} dead-letter message(s) are discarded with the in-memory queues"
                    + " (start with --data-dir to keep them)", orders, dead);
        }
    }

    private static int queued(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
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

    /**
     * What the functions and the event source use: each embedded emulator on its own endpoint (as each AWS service
     * has its own), or the external endpoint. Benchmarks use it so that their SDK-only floor takes the same path.
     */
    public AwsClients functionClients() {
        return functionClients;
    }

    /** The example subscriber's table, queue and DLQ; null when {@link LocalSettings#exampleSubscriber()} is off. */
    ResourceProvisioner.HistoryResources historyResources() {
        return history;
    }

    /** The bus's ARN and the archive of every OrderConfirmed on it (template.yaml: OrderConfirmedArchive). */
    ResourceProvisioner.ArchiveResources archive() {
        return archive;
    }

    /** The event source feeding the example subscriber; tests read its delivery counters. */
    SqsEventSource historyEventSource() {
        return historyEventSource;
    }

    /** The event source feeding the confirmation function; tests read its delivery counters. */
    SqsEventSource eventSource() {
        return eventSource;
    }

    /** The embedded EventBridge endpoint, for fault injection in tests; empty against an external endpoint. */
    public Optional<EventBridgeEmulator> eventBridgeEmulator() {
        return Optional.ofNullable(eventBridgeEmulator);
    }

    public boolean embedded() {
        return settings.endpoint().isEmpty();
    }

    /**
     * Stops in reverse start order: HTTP API, then the event source (in-flight batches finish), then the emulators.
     */
    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.getMessage());
            }
        }
    }
}
