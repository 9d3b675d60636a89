package dev.orderpipeline.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar modules/local-runtime/target/local-runtime.jar [options]}: the whole pipeline, locally. */
@Command(name = "local-runtime", mixinStandardHelpOptions = true,
        description = "Runs the order pipeline on this machine: embedded SQS (ElasticMQ), DynamoDB and EventBridge "
                + "endpoints, the intake function behind a local HTTP API and the confirmation function on an SQS "
                + "event source. No Docker, no AWS account.")
public final class LocalRuntimeMain implements Callable<Integer> {
    static {
        // readable one-line logs instead of the functions' JSON; set before any logger exists
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:log4j2-local.xml");
        }
        // Log4j's own shutdown hook would stop logging while the runtime's hook is still stopping (and saying so);
        // the runtime's hook stops Log4j itself, last
        if (System.getProperty("log4j2.shutdownHookEnabled") == null) {
            System.setProperty("log4j2.shutdownHookEnabled", "false");
        }
        System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true"); // see Ports
        }
    }

    @Option(names = "--http-port", description = "Port of the local HTTP API (default: ${DEFAULT-VALUE}).")
    int httpPort = 8080;

    @Option(names = "--aws-port", description = "Port of the single AWS-compatible endpoint for SQS, DynamoDB and EventBridge (default: ${DEFAULT-VALUE}).")
    int awsPort = 4566;

    @Option(names = "--sqs-port", description = "Port of the embedded ElasticMQ (default: ${DEFAULT-VALUE}).")
    int sqsPort = 9324;

    @Option(names = "--dynamodb-port", description = "Port of the embedded DynamoDB endpoint (default: ${DEFAULT-VALUE}).")
    int dynamoDbPort = 8000;

    @Option(names = "--eventbridge-port", description = "Port of the embedded EventBridge endpoint (default: ${DEFAULT-VALUE}).")
    int eventBridgePort = 4010;

    @Option(names = "--endpoint", description = "Use this AWS-compatible endpoint (e.g. LocalStack) instead of the "
            + "embedded emulators; defaults to AWS_ENDPOINT_URL when set.")
    URI endpoint;

    @Option(names = "--data-dir", description = "Keep the tables, the queues with their messages and the event archive "
            + "in this directory across restarts, clean or not (default: in memory).")
    Path dataDir;

    @Option(names = "--stack", description = "Name prefix of the resources (default: ${DEFAULT-VALUE}).")
    String stack = "order-pipeline-local";

    @Option(names = "--region", description = "Region (default: AWS_REGION or ${DEFAULT-VALUE}).")
    String region = Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1");

    @Mixin
    PipelineOptions confirmation = new PipelineOptions();

    @Option(names = "--auth", description = "HTTP API authentication: none (callers trusted, like IAM-signed services) or "
            + "jwt (Authorization: Bearer token required; the customer is its --jwt-claim claim). LOCAL ONLY, "
            + "SIGNATURES NOT CHECKED (default: ${DEFAULT-VALUE}).")
    String auth = "none";

    @Option(names = "--jwt-claim", description = "With --auth jwt: the token claim naming the customer (default: ${DEFAULT-VALUE}).")
    String jwtClaim = "sub";

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LocalRuntimeMain());
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("local-runtime: " + e.getMessage());
            if (System.getenv("LOCAL_RUNTIME_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        int exit;
        try {
            exit = cli.execute(args);
        } catch (Throwable e) {
            // e.g. a half-rebuilt jar (NoClassDefFoundError): one line, and never a JVM left running
            System.err.println("local-runtime: " + e);
            exit = 2;
        }
        System.exit(exit);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!auth.equals("none") && !auth.equals("jwt")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--auth must be none or jwt");
        }
        LocalAuth localAuth = auth.equals("jwt") ? LocalAuth.jwt(jwtClaim) : LocalAuth.none();
        URI external = endpoint != null ? endpoint
                : Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank()).map(URI::create).orElse(null);
        LocalSettings defaults = LocalSettings.defaults();
        LocalSettings settings = confirmation.applyTo(new LocalSettings(httpPort, awsPort, sqsPort, dynamoDbPort,
                eventBridgePort, Optional.ofNullable(external), Optional.ofNullable(dataDir), region, stack,
                defaults.pollers(), defaults.batchSize(), defaults.batchingWindow(), defaults.visibilityTimeoutSeconds(),
                defaults.maxReceiveCount(), defaults.numberMode(), defaults.blockSize(), defaults.exampleSubscriber()));
        long started = System.nanoTime();
        LocalPipeline pipeline = LocalPipeline.start(settings, localAuth);
        long startupMillis = (System.nanoTime() - started) / 1_000_000;
        Path endpointsFile = EndpointsFile.defaultPath();
        try {
            EndpointsFile.write(endpointsFile, pipeline);
        } catch (java.io.IOException e) {
            System.err.println("local-runtime: could not write " + endpointsFile + " (tools will need explicit endpoints): " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping: finishing in-flight batches…");
            try {
                java.nio.file.Files.deleteIfExists(endpointsFile);
            } catch (java.io.IOException e) {
                // stale file: tools notice the process is gone by its pid
            }
            pipeline.close();
            System.out.println("stopped");
            org.apache.logging.log4j.LogManager.shutdown();
            stopped.countDown();
        }, "shutdown"));
        printBanner(pipeline, startupMillis);
        if (localAuth.isJwt()) {
            System.out.println("  !! " + LocalAuth.WARNING);
            System.out.println("     send Authorization: Bearer <token>; the customer is its '" + jwtClaim + "' claim");
            System.out.println();
        }
        System.out.println("  endpoints for tools: " + endpointsFile);
        System.out.println();
        stopped.await();
        return 0;
    }

    private static void printBanner(LocalPipeline pipeline, long startupMillis) {
        Provisioned r = pipeline.resources();
        Runtime rt = Runtime.getRuntime();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
        String url = pipeline.httpApiUrl() + "/orders";
        System.out.println();
        System.out.println("order-pipeline is running (" + (pipeline.embedded() ? "embedded emulators" : "endpoint " + pipeline.awsEndpoint())
                + ", started in " + startupMillis + " ms, heap in use " + heapMb + " MB)");
        System.out.println();
        System.out.println("  POST orders to      " + url);
        System.out.println("  AWS endpoint        " + pipeline.awsEndpoint() + "   (SQS, DynamoDB, EventBridge; region " + pipeline.region() + ", any credentials)");
        System.out.println("  order queue         " + r.ordersQueueUrl());
        System.out.println("  dead-letter queue   " + r.deadLetterQueueUrl());
        System.out.println("  subscriber queue    " + r.subscriberQueueUrl() + "   (receives every OrderConfirmed)");
        System.out.println("  orders table        " + r.tableName());
        System.out.println("  event bus           " + r.eventBusName() + "   (archive " + pipeline.archive().archiveName()
                + ": every OrderConfirmed, for ./orders events replay)");
        System.out.println("  order history       table " + pipeline.historyResources().tableName() + ", queue "
                + pipeline.historyResources().queueUrl() + "   (example subscriber Lambda; logs each order it records)");
        System.out.println("  order history DLQ   " + pipeline.historyResources().deadLetterQueueUrl());
        System.out.println();
        System.out.println("  try:  curl -i -X POST " + url + " -H 'Content-Type: application/json' \\");
        System.out.println("          -d '{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":\"12.50\"}]}'");
        System.out.println("  Ctrl-C stops it cleanly.");
        System.out.println();
    }
}
