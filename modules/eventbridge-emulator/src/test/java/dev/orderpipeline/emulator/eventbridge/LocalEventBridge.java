package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Embedded ElasticMQ on loopback, the emulator delivering into it, and the real SDK clients that drive both: one per
 * test class. Names are made unique per call so tests in a class don't see each other's queues and rules.
 */
final class LocalEventBridge implements AutoCloseable {
    static final String ACCOUNT = EventBridgeEmulator.DEFAULT_ACCOUNT_ID;
    static final String REGION = EventBridgeEmulator.DEFAULT_REGION;

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final SQSRestServer elasticMq;
    private final SqsClient sqs;
    private final EventBridgeEmulator emulator;
    private final EventBridgeClient events;

    private LocalEventBridge(SQSRestServer elasticMq, SqsClient sqs, EventBridgeEmulator emulator) {
        this.elasticMq = elasticMq;
        this.sqs = sqs;
        this.emulator = emulator;
        this.events = eventBridgeClient(AwsRetryStrategy.defaultRetryStrategy());
    }

    static LocalEventBridge start() {
        SQSRestServer elasticMq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int sqsPort = elasticMq.waitUntilStarted().localAddress().getPort();
        SqsClient sqs = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new LocalEventBridge(elasticMq, sqs, EventBridgeEmulator.start(0, sqs));
    }

    EventBridgeEmulator emulator() {
        return emulator;
    }

    /** The client that delivers to the queues; tests hand it to further emulators. */
    SqsClient sqs() {
        return sqs;
    }

    /** The client under test, with the SDK's default retries. */
    EventBridgeClient events() {
        return events;
    }

    /** Another client for the emulator, e.g. one that doesn't retry, so an injected failure reaches the test. */
    EventBridgeClient eventBridgeClient(RetryStrategy retryStrategy) {
        return eventBridgeClient(emulator.endpoint(), retryStrategy);
    }

    /** A client for another endpoint, e.g. an emulator a test restarts. */
    static EventBridgeClient eventBridgeClient(URI endpoint, RetryStrategy retryStrategy) {
        return EventBridgeClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(override -> override.retryStrategy(retryStrategy))
                .build();
    }

    /** A name no other test of this JVM uses. */
    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** A new standard queue; targets name it by its {@link Queue#arn()}. */
    Queue createQueue(String prefix) {
        String name = unique(prefix);
        String url = sqs.createQueue(request -> request.queueName(name)).queueUrl();
        return new Queue(name, url, queueArn(name));
    }

    /** A new FIFO queue with content-based deduplication, as EventBridge FIFO targets need. */
    Queue createFifoQueue(String prefix) {
        String name = unique(prefix) + ".fifo";
        String url = sqs.createQueue(request -> request.queueName(name).attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
        return new Queue(name, url, queueArn(name));
    }

    static String queueArn(String queueName) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queueName;
    }

    /**
     * Every message now in the queue. Delivery is finished when PutEvents returns, so there's nothing to wait for;
     * received messages stay invisible for the queue's visibility timeout, which outlasts any test.
     */
    List<Message> drain(Queue queue) {
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(request -> request.queueUrl(queue.url())
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(0)
                    .messageSystemAttributeNamesWithStrings("MessageGroupId")).messages();
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }

    /** The bodies of every message now in the queue, parsed as JSON. */
    List<JsonNode> drainBodies(Queue queue) {
        return drain(queue).stream().map(message -> parse(message.body())).toList();
    }

    void deleteQueue(Queue queue) {
        sqs.deleteQueue(request -> request.queueUrl(queue.url()));
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        events.close();
        emulator.close();
        sqs.close();
        elasticMq.stopAndWait();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    record Queue(String name, String url, String arn) {
    }
}
