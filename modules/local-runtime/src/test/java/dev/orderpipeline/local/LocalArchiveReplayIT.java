package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.history.OrderHistoryTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local archive of every OrderConfirmed (template.yaml's OrderConfirmedArchive) and replays from it, with the
 * example subscriber on the bus as a subscriber would run it: what a replay puts back, what the subscriber makes of
 * it, and what a restart with a data dir keeps.
 */
class LocalArchiveReplayIT {
    private static final Duration CONFIRMATION = Duration.ofSeconds(60);

    @Test
    void replay_whenAWindowOfEventsIsReplayed_thenExactlyThoseComeBackAndTheSubscriberHistoryIsUnchanged() {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests());
             PipelineClient client = new PipelineClient(pipeline);
             EventBridgeClient events = pipeline.clients().build(EventBridgeClient.builder())) {
            shortenHistoryVisibility(pipeline, client);
            List<String> before = confirm(client, TestOrders.varied(1, 700));
            Instant from = nextWholeSecond();
            List<String> inWindow = confirm(client, TestOrders.varied(2, 701));
            Instant to = nextWholeSecond();
            List<String> after = confirm(client, TestOrders.varied(1, 703));
            List<String> all = new ArrayList<>(before);
            all.addAll(inWindow);
            all.addAll(after);
            awaitHistoryOf(pipeline, client, all.size());
            List<Map<String, AttributeValue>> historyBefore = scanHistory(pipeline, client);
            client.drainSubscriber(all.size(), CONFIRMATION);
            long handledBefore = pipeline.historyEventSource().deleted();

            String replayName = "it-window-" + System.nanoTime();
            events.startReplay(b -> b.replayName(replayName).eventSourceArn(pipeline.archive().archiveArn())
                    .eventStartTime(from).eventEndTime(to).destination(d -> d.arn(pipeline.archive().eventBusArn())));
            awaitCompleted(events, replayName);

            // the example subscriber queue receives every OrderConfirmed of the bus: the replayed ones carry replay-name
            List<JsonNode> replayed = new ArrayList<>();
            await("the replayed events on the example subscriber queue").atMost(CONFIRMATION).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        // a late republished copy of an order's event (at-least-once confirmation) has no replay-name
                        client.receiveAndDelete(pipeline.resources().subscriberQueueUrl()).stream()
                                .map(m -> PipelineClient.parse(m.body())).filter(e -> e.has("replay-name"))
                                .forEach(replayed::add);
                        return orderIds(replayed).containsAll(inWindow);
                    });
            assertThat(replayed).as("replayed events name their replay").allSatisfy(e ->
                    assertThat(e.get("replay-name").asText()).isEqualTo(replayName));
            assertThat(orderIds(replayed)).as("orders of the replayed events: those confirmed between the two instants")
                    .containsExactlyInAnyOrderElementsOf(inWindow);

            // the subscriber gets the same copies through its own rule, handles each, and changes nothing
            await("the subscriber handled the " + replayed.size() + " replayed events").atMost(CONFIRMATION)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> pipeline.historyEventSource().deleted() >= handledBefore + replayed.size()
                            && client.depth(pipeline.historyResources().queueUrl()).total() == 0);
            assertThat(scanHistory(pipeline, client)).as("the order history after the replay").isEqualTo(historyBefore);
            assertThat(client.depth(pipeline.historyResources().deadLetterQueueUrl()).total()).as("subscriber DLQ").isZero();
        }
    }

    /**
     * Yesterday's events for a new consumer after a restart: with a data dir the archive outlives the process, so a
     * subscriber that starts from an empty store after the restart gets its history back from a replay.
     */
    @Test
    void archive_whenRestartedOnTheSameDataDir_thenEventsFromBeforeTheRestartReplayIntoTheSubscriber(@TempDir Path dataDir) {
        LocalSettings settings = LocalSettings.forTests().withDataDir(dataDir);
        Instant from;
        Instant to;
        List<String> orders;
        List<Map<String, AttributeValue>> history;
        try (LocalPipeline first = LocalPipeline.start(settings);
             PipelineClient client = new PipelineClient(first)) {
            shortenHistoryVisibility(first, client);
            from = nextWholeSecond();
            orders = confirm(client, TestOrders.varied(2, 710));
            to = nextWholeSecond();
            awaitHistoryOf(first, client, orders.size());
            history = scanHistory(first, client);
        }

        try (LocalPipeline second = LocalPipeline.start(settings);
             PipelineClient client = new PipelineClient(second);
             EventBridgeClient events = second.clients().build(EventBridgeClient.builder())) {
            shortenHistoryVisibility(second, client);
            assertThat(events.describeArchive(b -> b.archiveName(second.archive().archiveName())).eventCount())
                    .as("archived OrderConfirmed events after the restart").isGreaterThanOrEqualTo(orders.size());
            // a new consumer: its store starts empty
            String table = second.historyResources().tableName();
            client.dynamoDb.deleteTable(b -> b.tableName(table));
            client.dynamoDb.createTable(OrderHistoryTable.createTableRequest(table));
            client.dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
            assertThat(scanHistory(second, client)).isEmpty();

            String replayName = "it-restart-" + System.nanoTime();
            events.startReplay(b -> b.replayName(replayName).eventSourceArn(second.archive().archiveArn())
                    .eventStartTime(from).eventEndTime(to).destination(d -> d.arn(second.archive().eventBusArn())));
            awaitCompleted(events, replayName);
            await("the history rebuilt from the replay").atMost(CONFIRMATION).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(scanHistory(second, client))
                            .as("the customers' history, rebuilt from the archive (failed deliveries: %d, history queue: %s)",
                                    second.eventBridgeEmulator().orElseThrow().deliveryFailures(),
                                    client.depth(second.historyResources().queueUrl()))
                            .isEqualTo(history));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * A receive whose response a loaded machine loses (the client's attempt timeout) leaves the message in flight for
     * the history queue's visibility timeout, three minutes as in the template: the tests wait seconds instead.
     */
    private static void shortenHistoryVisibility(LocalPipeline pipeline, PipelineClient client) {
        client.sqs.setQueueAttributes(b -> b.queueUrl(pipeline.historyResources().queueUrl())
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5")));
    }

    private static List<String> confirm(PipelineClient client, List<TestOrders.TestOrder> orders) {
        List<String> ids = client.submitAllAccepted(orders.stream().map(TestOrders.TestOrder::json).toList());
        client.awaitConfirmed(ids, CONFIRMATION);
        return ids;
    }

    /** The next whole second, once the clock has passed it: event times are whole seconds. */
    private static Instant nextWholeSecond() {
        Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        await("the clock passes " + next).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().isAfter(next));
        return next;
    }

    private static void awaitHistoryOf(LocalPipeline pipeline, PipelineClient client, int orders) {
        await("the subscriber recorded all " + orders + " orders").atMost(CONFIRMATION).pollInterval(Duration.ofMillis(100))
                .until(() -> scanHistory(pipeline, client).stream()
                        .mapToInt(i -> i.containsKey("orderNumbers") ? i.get("orderNumbers").ss().size() : 0).sum() >= orders
                        && client.depth(pipeline.historyResources().queueUrl()).total() == 0);
    }

    private static List<Map<String, AttributeValue>> scanHistory(LocalPipeline pipeline, PipelineClient client) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.dynamoDb.scanPaginator(b -> b.tableName(pipeline.historyResources().tableName()).consistentRead(true))
                .items().forEach(items::add);
        items.sort(Comparator.comparing(i -> i.get(OrderHistoryTable.PK).s()));
        return items;
    }

    private static void awaitCompleted(EventBridgeClient events, String replayName) {
        ReplayState state = await("replay " + replayName + " ended").atMost(CONFIRMATION).pollInterval(Duration.ofMillis(50))
                .until(() -> events.describeReplay(b -> b.replayName(replayName)).state(),
                        s -> s == ReplayState.COMPLETED || s == ReplayState.FAILED);
        assertThat(state).as("replay " + replayName).isEqualTo(ReplayState.COMPLETED);
    }

    private static Set<String> orderIds(List<JsonNode> envelopes) {
        return envelopes.stream().map(e -> e.path("detail").path("orderId").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
