package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A local Amazon EventBridge endpoint on 127.0.0.1 that the unchanged SDK {@code EventBridgeClient} reaches through
 * {@code endpointOverride(endpoint())}. It speaks AWS JSON 1.1, matches events with event-ruler (the library
 * EventBridge itself uses) and delivers matched events to SQS targets through the given {@link SqsClient}.
 *
 * <p>Delivery happens before PutEvents returns: once the call is back, every matched event is in its queue. As on
 * AWS, a failed delivery doesn't fail the PutEvents entry; it is logged and counted in {@link #deliveryFailures()}.
 *
 * <p>Safe for concurrent callers. The state lives in memory and is gone after {@link #close()}, except for archives
 * started with a data dir.
 */
public final class EventBridgeEmulator implements AutoCloseable {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    private final HttpServer server;
    private final ExecutorService executor;
    private final FaultInjection faults = new FaultInjection();
    private final SqsTargetSender sender;
    private final PutEventsOperation putEvents;
    private final Archives archives;
    private final ArchiveOperations archiveOperations;

    private EventBridgeEmulator(HttpServer server, ExecutorService executor, AwsAccount account, SqsClient sqs,
                                Archives archives) {
        this.server = server;
        this.executor = executor;
        this.sender = new SqsTargetSender(sqs);
        this.archives = archives;
        EventBuses buses = new EventBuses(account);
        EventBusOperations busOperations = new EventBusOperations(buses, account);
        RuleOperations ruleOperations = new RuleOperations(buses, account);
        this.putEvents = new PutEventsOperation(buses, account, sender, faults, archives);
        this.archiveOperations = new ArchiveOperations(buses, account, archives, sender);

        Map<String, Function<JsonNode, ObjectNode>> operations = Map.ofEntries(
                Map.entry("CreateEventBus", busOperations::createEventBus),
                Map.entry("DescribeEventBus", busOperations::describeEventBus),
                Map.entry("DeleteEventBus", busOperations::deleteEventBus),
                Map.entry("PutRule", ruleOperations::putRule),
                Map.entry("DescribeRule", ruleOperations::describeRule),
                Map.entry("ListRules", ruleOperations::listRules),
                Map.entry("DeleteRule", ruleOperations::deleteRule),
                Map.entry("PutTargets", ruleOperations::putTargets),
                Map.entry("RemoveTargets", ruleOperations::removeTargets),
                Map.entry("ListTargetsByRule", ruleOperations::listTargetsByRule),
                Map.entry("TestEventPattern", ruleOperations::testEventPattern),
                Map.entry("PutEvents", putEvents::putEvents),
                Map.entry("CreateArchive", archiveOperations::createArchive),
                Map.entry("DescribeArchive", archiveOperations::describeArchive),
                Map.entry("DeleteArchive", archiveOperations::deleteArchive),
                Map.entry("StartReplay", archiveOperations::startReplay),
                Map.entry("DescribeReplay", archiveOperations::describeReplay));
        server.createContext("/", new AwsJsonEndpoint(operations));
    }

    /**
     * Starts an endpoint for region {@value #DEFAULT_REGION} and account {@value #DEFAULT_ACCOUNT_ID}.
     *
     * @param port          the port on 127.0.0.1; 0 picks a free one
     * @param sqsForTargets delivers to SQS targets; the caller keeps ownership and closes it
     * @throws UncheckedIOException when the port is taken ("port N is already in use") or the server can't start
     */
    public static EventBridgeEmulator start(int port, SqsClient sqsForTargets) {
        return start(port, sqsForTargets, DEFAULT_REGION, DEFAULT_ACCOUNT_ID);
    }

    /**
     * Starts an endpoint that puts the given region and account into ARNs and event envelopes.
     *
     * @param accountId 12 digits
     * @see #start(int, SqsClient)
     */
    public static EventBridgeEmulator start(int port, SqsClient sqsForTargets, String region, String accountId) {
        return start(port, sqsForTargets, region, accountId, null);
    }

    /**
     * Starts an endpoint whose archives are kept in {@code dataDir/eventbridge-archives} (buses and rules are not:
     * whoever starts the endpoint creates them again) and found there again by the next start, so events archived
     * before a restart can be replayed after it.
     *
     * @param dataDir null keeps the archives in memory
     * @see #start(int, SqsClient, String, String)
     */
    public static EventBridgeEmulator start(int port, SqsClient sqsForTargets, String region, String accountId,
                                            Path dataDir) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        Objects.requireNonNull(sqsForTargets, "sqsForTargets");
        AwsAccount account = new AwsAccount(region, accountId);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (BindException e) {
            throw new UncheckedIOException("port " + port + " is already in use", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local EventBridge endpoint on port " + port, e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        Archives archives;
        try {
            archives = new Archives(dataDir == null ? null : dataDir.resolve("eventbridge-archives"));
        } catch (RuntimeException e) {
            server.stop(0);
            executor.shutdown();
            throw e;
        }
        EventBridgeEmulator emulator = new EventBridgeEmulator(server, executor, account, sqsForTargets, archives);
        server.start();
        return emulator;
    }

    /** The URI to give the SDK's {@code endpointOverride}, e.g. {@code http://127.0.0.1:4010}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The next {@code count} PutEvents entries, across calls, are reported as failed with this error code and message
     * and are not delivered; entries are taken in request order. Replaces any countdown still running.
     */
    public void failNextEntries(int count, String errorCode, String errorMessage) {
        requireCount(count);
        faults.failNextEntries(count, new ApiException(400, Objects.requireNonNull(errorCode, "errorCode"),
                Objects.requireNonNull(errorMessage, "errorMessage")));
    }

    /**
     * The next {@code count} PutEvents calls fail as a whole with this HTTP status and AWS error type, e.g.
     * {@code 400 ThrottlingException} or {@code 500 InternalException}; nothing of those calls is put. The SDK counts
     * every attempt, so its retries use up the countdown too. Replaces any countdown still running.
     */
    public void failNextCalls(int count, int httpStatus, String awsErrorType) {
        requireCount(count);
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be an error status (400-599): " + httpStatus);
        }
        Objects.requireNonNull(awsErrorType, "awsErrorType");
        faults.failNextCalls(count, new ApiException(httpStatus, awsErrorType,
                awsErrorType + " injected by the local EventBridge endpoint"));
    }

    /** PutEvents entries answered with an EventId since start. */
    public long putEventsEntriesAccepted() {
        return putEvents.accepted();
    }

    /** Deliveries to targets that failed since start (missing queue, SQS error, InputPath that selects nothing). */
    public long deliveryFailures() {
        return sender.failures();
    }

    /** Stops the server at once; the SqsClient given to {@code start} stays open. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        archiveOperations.close();
        archives.close();
    }

    private static void requireCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger sequence = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "eventbridge-emulator-" + sequence.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
