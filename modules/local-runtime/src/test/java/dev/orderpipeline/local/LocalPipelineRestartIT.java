package dev.orderpipeline.local;

import static dev.orderpipeline.local.PipelineClient.keysStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.local.TestOrders.TestOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** Stopping and starting the pipeline again: what survives a restart, and what a clean shutdown must not lose. */
class LocalPipelineRestartIT {
    private static final Duration CONFIRMATION = Duration.ofSeconds(20);
    /**
     * The shutdown check receives every pending message once itself, which counts towards the queue's
     * maxReceiveCount of 3: with the 2 s of {@link LocalSettings#forTests()}, one batch of 10 that takes longer than
     * that on a loaded machine loses its receipt handles twice and sends orders to the dead-letter queue.
     */
    private static final int SLOW_MACHINE_VISIBILITY_SECONDS = 6;

    @Test
    void start_whenSameDataDirAfterRestart_thenConfirmedOrdersAndNumberSequenceSurvive(@TempDir Path dataDir) {
        Map<String, String> numbersBefore = new HashMap<>();
        int httpPortBefore;
        try (LocalPipeline first = LocalPipeline.start(LocalSettings.forTests().withDataDir(dataDir));
             PipelineClient client = new PipelineClient(first)) {
            httpPortBefore = first.httpApiUrl().getPort();
            List<String> ids = client.submitAllAccepted(TestOrders.varied(3, 300).stream().map(TestOrder::json).toList());
            client.awaitConfirmed(ids, CONFIRMATION).forEach((id, o) -> numbersBefore.put(id, o.get("orderNumber").asText()));
        }
        assertThat(numbersBefore.values()).as("numbers before the restart")
                .containsExactlyInAnyOrder(new OrderNumber(1).toString(), new OrderNumber(2).toString(), new OrderNumber(3).toString());

        try (LocalPipeline second = LocalPipeline.start(LocalSettings.forTests().withDataDir(dataDir));
             PipelineClient client = new PipelineClient(second)) {
            System.out.printf("restart: HTTP API port %d before, %d after%n", httpPortBefore, second.httpApiUrl().getPort());
            for (Map.Entry<String, String> before : numbersBefore.entrySet()) {
                var r = client.get(before.getKey());
                assertThat(r.statusCode()).as("GET of order %s after the restart (%s)", before.getKey(), r.body()).isEqualTo(200);
                JsonNode body = PipelineClient.parse(r.body());
                assertThat(body.get("status").asText()).isEqualTo("CONFIRMED");
                assertThat(body.get("orderNumber").asText()).as("number of %s after the restart", before.getKey())
                        .isEqualTo(before.getValue());
            }
            String next = client.submitAllAccepted(List.of(TestOrders.varied(303).json())).get(0);
            JsonNode confirmed = client.awaitConfirmed(List.of(next), CONFIRMATION).get(next);
            assertThat(confirmed.get("orderNumber").asText()).as("number of the first order after the restart")
                    .isEqualTo(new OrderNumber(4).toString());
        }
    }

    /**
     * A clean stop must not lose an accepted order. The embedded ElasticMQ keeps no messages across its own restart,
     * so the order queue here lives in a backing pipeline's emulators that stay up: the pipeline under test runs
     * against them as an external endpoint (as it would against LocalStack), is closed while it is confirming, and a
     * new one started on the same resources must confirm every order that was accepted.
     */
    @Test
    void close_whenOrdersInFlight_thenReturnsPromptlyAndEveryAcceptedOrderIsConfirmedOrStillQueued() {
        try (LocalPipeline backing = LocalPipeline.start(LocalSettings.forTests())) {
            LocalSettings onBacking = onEndpoint(backing, "shutdown-check");
            Set<String> accepted;
            Set<String> confirmedAtClose;
            Set<String> queuedAfterClose = new HashSet<>();
            List<Message> held = new ArrayList<>();
            LocalPipeline first = LocalPipeline.start(onBacking);
            try (PipelineClient client = new PipelineClient(first)) {
                accepted = new HashSet<>(client.submitAllAccepted(TestOrders.varied(40, 400).stream().map(TestOrder::json).toList()));
                await("the first order is stored, so confirmation is under way")
                        .atMost(CONFIRMATION).pollInterval(Duration.ofMillis(5))
                        .until(() -> !keysStartingWith(client.scanTable(), "ORDER#").isEmpty());

                long started = System.nanoTime();
                first.close();
                Duration closing = Duration.ofNanos(System.nanoTime() - started);
                assertThat(closing).as("time close() took").isLessThan(Duration.ofSeconds(10));

                confirmedAtClose = keysStartingWith(client.scanTable(), "ORDER#").stream()
                        .map(pk -> pk.substring("ORDER#".length())).collect(Collectors.toSet());
                Set<String> pending = new TreeSet<>(accepted);
                pending.removeAll(confirmedAtClose);
                System.out.printf("close() took %d ms with %d of %d accepted orders confirmed, %d pending%n",
                        closing.toMillis(), confirmedAtClose.size(), accepted.size(), pending.size());
                assertThat(confirmedAtClose).as("stored orders are all accepted ones").isSubsetOf(accepted);

                // every order not stored must still be a message on the order queue (in flight ones come back
                // after the visibility timeout); we hold what we receive and hand it back afterwards
                String queue = client.resources().ordersQueueUrl();
                await("every accepted order that is not stored is still on the order queue")
                        .atMost(Duration.ofSeconds(15 + SLOW_MACHINE_VISIBILITY_SECONDS)).pollInterval(Duration.ofMillis(10))
                        .untilAsserted(() -> {
                            List<Message> got = client.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                                    .waitTimeSeconds(1).visibilityTimeout(30)).messages();
                            held.addAll(got);
                            got.forEach(m -> queuedAfterClose.add(PipelineClient.parse(m.body()).get("orderId").asText()));
                            assertThat(queuedAfterClose).as("orders found on the queue after close()").containsAll(pending);
                        });
                for (int from = 0; from < held.size(); from += 10) {
                    List<ChangeMessageVisibilityBatchRequestEntry> entries = held.subList(from, Math.min(held.size(), from + 10))
                            .stream().map(m -> ChangeMessageVisibilityBatchRequestEntry.builder()
                                    .id(m.messageId()).receiptHandle(m.receiptHandle()).visibilityTimeout(0).build())
                            .toList();
                    client.sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queue).entries(entries));
                }
            } finally {
                first.close();
            }

            try (LocalPipeline second = LocalPipeline.start(onBacking);
                 PipelineClient client = new PipelineClient(second)) {
                Map<String, JsonNode> confirmed = client.awaitConfirmed(accepted, CONFIRMATION);
                assertThat(confirmed.values().stream().map(o -> OrderNumber.parse(o.get("orderNumber").asText()).sequence()))
                        .as("strict numbers across the restart").containsExactlyInAnyOrderElementsOf(
                                LongStream.rangeClosed(1, accepted.size()).boxed().toList());
                client.awaitOrdersQueueDrained(Duration.ofSeconds(10));
                assertThat(client.depth(client.resources().deadLetterQueueUrl()).total()).as("dead-letter queue depth").isZero();
            }
        }
    }

    /**
     * With a data dir the queues outlive the process like the table: a clean stop in the middle of confirming waits
     * for nothing, and the next start confirms every accepted order that was still queued, while a dead-lettered
     * message (here one put there directly, as the queue's redrive would) is still on the DLQ for replay.
     */
    @Test
    void close_whenEmbeddedWithDataDirAndOrdersStillQueued_thenRestartConfirmsThemAndKeepsTheDlq(@TempDir Path dataDir) {
        LocalSettings settings = LocalSettings.forTests().withDataDir(dataDir);
        Set<String> accepted;
        int queuedAtClose;
        LocalPipeline first = LocalPipeline.start(settings);
        try (PipelineClient client = new PipelineClient(first)) {
            client.sqs.sendMessage(b -> b.queueUrl(client.resources().deadLetterQueueUrl()).messageBody("{\"parked\":true}"));
            accepted = new HashSet<>(client.submitAllAccepted(TestOrders.varied(30, 600).stream().map(TestOrder::json).toList()));
            queuedAtClose = client.depth(client.resources().ordersQueueUrl()).total();
            first.close();
        } finally {
            first.close();
        }
        System.out.printf("closed with %d of %d accepted order messages still queued%n", queuedAtClose, accepted.size());

        try (LocalPipeline second = LocalPipeline.start(settings);
             PipelineClient client = new PipelineClient(second)) {
            Map<String, JsonNode> confirmed = client.awaitConfirmed(accepted, CONFIRMATION);
            assertThat(confirmed.values().stream().map(o -> OrderNumber.parse(o.get("orderNumber").asText()).sequence()))
                    .as("strict numbers of the accepted orders across the restart")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, accepted.size()).boxed().toList());
            List<Message> parked = client.receiveAndDelete(client.resources().deadLetterQueueUrl());
            assertThat(parked).extracting(Message::body).as("the DLQ after the restart").containsExactly("{\"parked\":true}");
        }
    }

    /** Settings for a pipeline that provisions its own stack on another pipeline's AWS endpoint. */
    private static LocalSettings onEndpoint(LocalPipeline backing, String stack) {
        LocalSettings t = LocalSettings.forTests();
        return new LocalSettings(t.httpPort(), t.awsPort(), t.sqsPort(), t.dynamoDbPort(), t.eventBridgePort(),
                Optional.of(backing.awsEndpoint()), Optional.empty(), t.region(), stack, t.pollers(), t.batchSize(),
                t.batchingWindow(), SLOW_MACHINE_VISIBILITY_SECONDS, t.maxReceiveCount(), t.numberMode(), t.blockSize(),
                t.exampleSubscriber());
    }
}
