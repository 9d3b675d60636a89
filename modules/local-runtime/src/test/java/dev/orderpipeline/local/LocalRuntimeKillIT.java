package dev.orderpipeline.local;

import static dev.orderpipeline.local.PipelineClient.keysStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.domain.model.OrderNumber;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code ./run-local --data-dir DIR}, killed with SIGKILL while it takes and confirms orders, then started again on the
 * same directory: what it had acknowledged must all still be there. The runtime runs as its own process from its
 * jar ({@code target/local-runtime.jar}, built in the package phase), exactly as {@code ./run-local} starts it. In
 * both numbering modes; block mode with two pollers (two function instances, each with its own reserved block), so
 * the kill also throws away the unused rest of their blocks and the restart reserves new ones above them.
 */
class LocalRuntimeKillIT {
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration CONFIRMATION = Duration.ofSeconds(120);
    private static final int SUBMITTERS = 4;
    private static final int MIN_ACCEPTED_BEFORE_KILL = 100;
    private static final int PARKED = 5;

    private static final int BLOCK_SIZE = 10;

    @ParameterizedTest(name = "{0} numbering")
    @ValueSource(strings = {"strict", "block"})
    void restart_whenKilledUnderLoad_thenEveryAcceptedOrderIsConfirmedOnceAndTheDlqIsKept(String mode, @TempDir Path work) throws Exception {
        Path dataDir = work.resolve("data");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> parked = new HashSet<>();
        int queuedAtKill;

        RuntimeProcess first = RuntimeProcess.start(work, dataDir, "first", mode);
        try (PipelineClient client = first.client()) {
            for (int i = 0; i < PARKED; i++) {
                String body = "{\"parked\":" + i + "}";
                client.sqs.sendMessage(b -> b.queueUrl(client.resources().deadLetterQueueUrl()).messageBody(body));
                parked.add(body);
            }
            AtomicBoolean killed = new AtomicBoolean();
            ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
            for (int t = 0; t < SUBMITTERS; t++) {
                int first0 = t;
                submitters.submit(() -> {
                    for (int i = first0; !killed.get(); i += SUBMITTERS) {
                        HttpResponse<String> r;
                        try {
                            r = client.submit(TestOrders.varied(i).json(), null);
                        } catch (RuntimeException e) {
                            return; // the process is gone: whatever was in flight was never acknowledged
                        }
                        if (r.statusCode() == 202) {
                            accepted.add(PipelineClient.acceptedOrderId(r));
                        }
                    }
                });
            }
            String ordersQueue = client.resources().ordersQueueUrl();
            await("at least " + MIN_ACCEPTED_BEFORE_KILL + " orders accepted and some still queued")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> accepted.size() >= MIN_ACCEPTED_BEFORE_KILL && client.depth(ordersQueue).total() > 0);
            queuedAtKill = client.depth(ordersQueue).total();
            first.kill();
            killed.set(true);
            submitters.shutdown();
            assertThat(submitters.awaitTermination(60, TimeUnit.SECONDS)).as("submitters stopped after the kill").isTrue();
        } finally {
            first.kill();
        }
        System.out.printf("killed with %d orders accepted, %d order messages queued or in flight%n", accepted.size(), queuedAtKill);
        assertThat(queuedAtKill).as("order messages queued when the runtime was killed (what the test must not lose)")
                .isPositive();

        RuntimeProcess second = RuntimeProcess.start(work, dataDir, "second", mode);
        try (PipelineClient client = second.client()) {
            Map<String, JsonNode> confirmed = client.awaitConfirmed(accepted, CONFIRMATION);
            List<Long> numbers = confirmed.values().stream()
                    .map(o -> OrderNumber.parse(o.get("orderNumber").asText()).sequence()).toList();
            assertThat(new HashSet<>(numbers)).as("distinct numbers of the accepted orders").hasSize(accepted.size());

            // every stored order (the accepted ones, and any whose 202 the kill cut off) has its own number, read from
            // the order items themselves; strict numbering burned none: numbers 1..n for n stored orders
            client.awaitOrdersQueueDrained(CONFIRMATION);
            var items = client.scanTable();
            Set<String> stored = keysStartingWith(items, "ORDER#");
            List<Long> storedNumbers = items.stream().filter(i -> i.get("pk").s().startsWith("ORDER#"))
                    .map(i -> Long.parseLong(i.get("orderNumber").n())).toList();
            assertThat(storedNumbers).as("numbers of the stored orders").doesNotHaveDuplicates().containsAll(numbers);
            long counter = PipelineClient.counter(items);
            if (mode.equals("strict")) {
                assertThat(keysStartingWith(items, "NUMBER#")).as("number guards").hasSameSizeAs(stored);
                assertThat(counter).as("last number handed out").isEqualTo(stored.size());
            } else {
                assertThat(keysStartingWith(items, "NUMBER#")).as("number guards (block mode writes none)").isEmpty();
                assertThat(counter % BLOCK_SIZE).as("counter %d moves in blocks", counter).isZero();
                System.out.printf("block mode: %d orders stored, numbers up to %d reserved%n", stored.size(), counter);
            }
            assertThat(storedNumbers).as("numbers of the stored orders").allMatch(n -> n >= 1 && n <= counter);

            Set<String> dlq = new HashSet<>();
            await("the parked dead-letter messages are back on the DLQ").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> {
                        client.receiveAndDelete(client.resources().deadLetterQueueUrl()).stream().map(Message::body)
                                .forEach(dlq::add);
                        assertThat(dlq).containsAll(parked);
                    });
            assertThat(dlq).as("DLQ after the restart").isEqualTo(parked);

            Map<String, List<JsonNode>> events = client.drainSubscriber(stored.size(), CONFIRMATION);
            assertThat(events.keySet()).as("orders with an OrderConfirmed on the subscriber queue").containsAll(accepted);
        } finally {
            String output = second.stop();
            assertThat(output).as("what the runtime logged while stopping cleanly")
                    .contains("stopping: finishing in-flight batches")
                    .contains("stay queued in " + dataDir)
                    .contains("stopped");
        }
    }

    /** One run of {@code java -jar target/local-runtime.jar} on free ports; its console goes to a file. */
    private record RuntimeProcess(Process process, Path console, Path endpointsFile) {
        static RuntimeProcess start(Path work, Path dataDir, String name, String mode) throws IOException {
            Path jar = Path.of("target", "local-runtime.jar").toAbsolutePath();
            assertThat(jar).as("the runtime jar (built by the package phase)").exists();
            Path console = work.resolve(name + ".log");
            Path endpoints = work.resolve(name + "-endpoints.json");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(),
                    "--http-port", "0", "--aws-port", "0", "--sqs-port", "0", "--dynamodb-port", "0",
                    "--eventbridge-port", "0", "--visibility-timeout", "15", "--data-dir", dataDir.toString(),
                    "--number-mode", mode, "--block-size", Integer.toString(BLOCK_SIZE),
                    "--pollers", mode.equals("strict") ? "1" : "2")
                    .redirectErrorStream(true)
                    .redirectOutput(console.toFile());
            pb.environment().put(EndpointsFile.ENV_OVERRIDE, endpoints.toString());
            pb.environment().remove("AWS_ENDPOINT_URL");
            Process process = pb.start();
            RuntimeProcess runtime = new RuntimeProcess(process, console, endpoints);
            try {
                await(name + " runtime wrote its endpoints file").atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            assertThat(process.isAlive()).as("%s runtime is running; its console:%n%s", name, runtime.output())
                                    .isTrue();
                            return Files.exists(endpoints);
                        });
            } catch (RuntimeException | Error e) {
                process.destroyForcibly();
                throw e;
            }
            return runtime;
        }

        PipelineClient client() throws IOException {
            JsonNode e = PipelineClient.parse(Files.readString(endpointsFile));
            AwsClients clients = AwsClients.forEndpoint(e.get("region").asText(), URI.create(e.get("awsEndpoint").asText()),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
            Provisioned resources = new Provisioned(e.get("stack").asText(), e.get("ordersQueueUrl").asText(),
                    e.get("ordersQueueArn").asText(), e.get("deadLetterQueueUrl").asText(),
                    e.get("deadLetterQueueArn").asText(), e.get("subscriberQueueUrl").asText(),
                    e.get("subscriberDeadLetterQueueUrl").asText(), e.get("tableName").asText(),
                    e.get("eventBusName").asText(), "");
            return new PipelineClient(URI.create(e.get("apiUrl").asText()), clients, resources);
        }

        /** SIGKILL: no shutdown hook, no flush, nothing the runtime can do. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM, as Ctrl-C: the shutdown hook runs. Returns the console. */
        String stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            return output();
        }

        String output() {
            try {
                return Files.exists(console) ? Files.readString(console) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
