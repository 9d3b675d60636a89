package dev.orderpipeline.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run the pipeline locally. Defaults mirror {@code template.yaml}; tests shorten the visibility timeout so a
 * failed message comes back in seconds rather than minutes.
 *
 * @param endpoint an external AWS-compatible endpoint (LocalStack); empty = start the embedded emulators
 * @param dataDir  where the embedded DynamoDB keeps its state across restarts; empty = in memory
 * @param exampleSubscriber whether to run the template's example subscriber (OrderHistoryFunction, its queue, rule
 *                 and table) next to the pipeline; benchmarks turn it off so that the pipeline is measured without a
 *                 downstream consumer of its own
 */
public record LocalSettings(int httpPort, int awsPort, int sqsPort, int dynamoDbPort, int eventBridgePort,
                            Optional<URI> endpoint, Optional<Path> dataDir, String region, String stack,
                            int pollers, int batchSize, Duration batchingWindow, int visibilityTimeoutSeconds,
                            int maxReceiveCount, String numberMode, int blockSize, boolean exampleSubscriber) {

    public static LocalSettings defaults() {
        return new LocalSettings(8080, 4566, 9324, 8000, 4010, Optional.empty(), Optional.empty(), "us-east-1",
                "order-pipeline-local", 2, PipelineResources.BATCH_SIZE,
                Duration.ofSeconds(PipelineResources.MAX_BATCHING_WINDOW_SECONDS),
                PipelineResources.VISIBILITY_TIMEOUT_SECONDS, PipelineResources.MAX_RECEIVE_COUNT, "strict", 100, true);
    }

    /** Every port picked freely, short timeouts: for tests. */
    public static LocalSettings forTests() {
        return defaults().withPorts(0, 0, 0, 0, 0).withVisibilityTimeout(2).withBatchingWindow(Duration.ofMillis(50));
    }

    public LocalSettings withPorts(int http, int aws, int sqs, int dynamo, int eventBridge) {
        return new LocalSettings(http, aws, sqs, dynamo, eventBridge, endpoint, dataDir, region, stack, pollers,
                batchSize, batchingWindow, visibilityTimeoutSeconds, maxReceiveCount, numberMode, blockSize,
                exampleSubscriber);
    }

    public LocalSettings withVisibilityTimeout(int seconds) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, endpoint, dataDir, region,
                stack, pollers, batchSize, batchingWindow, seconds, maxReceiveCount, numberMode, blockSize,
                exampleSubscriber);
    }

    public LocalSettings withBatchingWindow(Duration window) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, endpoint, dataDir, region,
                stack, pollers, batchSize, window, visibilityTimeoutSeconds, maxReceiveCount, numberMode, blockSize,
                exampleSubscriber);
    }

    public LocalSettings withDataDir(Path dir) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, endpoint, Optional.of(dir),
                region, stack, pollers, batchSize, batchingWindow, visibilityTimeoutSeconds, maxReceiveCount, numberMode,
                blockSize, exampleSubscriber);
    }

    public LocalSettings withEndpoint(URI uri) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, Optional.of(uri), dataDir,
                region, stack, pollers, batchSize, batchingWindow, visibilityTimeoutSeconds, maxReceiveCount, numberMode,
                blockSize, exampleSubscriber);
    }

    public LocalSettings withNumbering(String mode, int size) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, endpoint, dataDir, region,
                stack, pollers, batchSize, batchingWindow, visibilityTimeoutSeconds, maxReceiveCount, mode, size,
                exampleSubscriber);
    }

    public LocalSettings withPollers(int count) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, endpoint, dataDir, region,
                stack, count, batchSize, batchingWindow, visibilityTimeoutSeconds, maxReceiveCount, numberMode, blockSize,
                exampleSubscriber);
    }

    /** Another stack name: the prefix of every resource's physical name (unique per run for a shared endpoint). */
    public LocalSettings withStack(String name) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, endpoint, dataDir, region,
                name, pollers, batchSize, batchingWindow, visibilityTimeoutSeconds, maxReceiveCount, numberMode, blockSize,
                exampleSubscriber);
    }

    /** With or without the example subscriber (its rule, queue, table and function); see the record's Javadoc. */
    public LocalSettings withExampleSubscriber(boolean enabled) {
        return new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort, eventBridgePort, endpoint, dataDir, region,
                stack, pollers, batchSize, batchingWindow, visibilityTimeoutSeconds, maxReceiveCount, numberMode, blockSize,
                enabled);
    }
}
