package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.emulator.eventbridge.LocalEventBridge.Queue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeArchiveResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.StartReplayResponse;

/** Archives and replays through the SDK client, as {@code orders events replay} and the AWS CLI use them. */
class ArchiveReplayIT extends EventBridgeFixture {
    private static final String SOURCE = "shop.orders";
    private static final String PATTERN = "{\"source\":[\"" + SOURCE + "\"]}";
    /** Event times are whole seconds; hours apart, so the windows below are unambiguous. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(12));

    @Test
    void startReplay_whenWindowGiven_thenPutsExactlyTheArchivedEventsOfThatWindowBackWithReplayName() {
        Bus bus = bus();
        String archiveArn = events.createArchive(b -> b.archiveName(LocalEventBridge.unique("orders-archive"))
                .eventSourceArn(bus.arn).eventPattern(PATTERN)).archiveArn();
        Queue queue = subscribe(bus, "{\"detail-type\":[\"OrderConfirmed\"]}");
        put(bus, SOURCE, T0, "before");
        put(bus, SOURCE, T0.plus(Duration.ofHours(1)), "first");
        put(bus, SOURCE, T0.plus(Duration.ofHours(2)), "second");
        put(bus, SOURCE, T0.plus(Duration.ofHours(3)), "at-the-end");
        put(bus, "another.source", T0.plus(Duration.ofHours(1)), "not-archived");
        List<JsonNode> delivered = local.drainBodies(queue);
        assertThat(delivered).as("delivered when put").hasSize(5);

        String replayName = LocalEventBridge.unique("replay");
        StartReplayResponse started = events.startReplay(b -> b.replayName(replayName).eventSourceArn(archiveArn)
                .eventStartTime(T0.plus(Duration.ofHours(1))).eventEndTime(T0.plus(Duration.ofHours(3)))
                .destination(d -> d.arn(bus.arn)));
        DescribeReplayResponse replay = awaitEnd(replayName);

        assertThat(started.state()).isEqualTo(ReplayState.STARTING);
        assertThat(started.replayArn()).isEqualTo("arn:aws:events:us-east-1:000000000000:replay/" + replayName);
        assertThat(replay.state()).isEqualTo(ReplayState.COMPLETED);
        assertThat(replay.eventLastReplayedTime()).isEqualTo(T0.plus(Duration.ofHours(2)));
        List<JsonNode> replayed = local.drainBodies(queue);
        assertThat(replayed).extracting(e -> e.get("detail").get("name").asText())
                .as("replayed: the archived events with EventStartTime <= time < EventEndTime, oldest first")
                .containsExactly("first", "second");
        assertThat(replayed).allSatisfy(e -> assertThat(e.get("replay-name").asText()).isEqualTo(replayName));
        JsonNode original = delivered.stream().filter(e -> e.get("detail").get("name").asText().equals("first"))
                .findFirst().orElseThrow();
        JsonNode copy = replayed.get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("replay-name");
        assertThat(copy).as("a replayed event is the archived event plus replay-name").isEqualTo(original);
        assertThat(events.describeArchive(b -> b.archiveName(archiveName(archiveArn))).eventCount())
                .as("the archive keeps what its pattern matched, and replayed events are not archived again").isEqualTo(4);
    }

    @Test
    void createArchive_whenNoPattern_thenKeepsEveryEventOfItsBusOnly() {
        Bus bus = bus();
        Bus other = bus();
        String name = LocalEventBridge.unique("everything");
        events.createArchive(b -> b.archiveName(name).eventSourceArn(bus.arn).description("all of it").retentionDays(7));
        put(bus, SOURCE, T0, "a");
        put(bus, "another.source", T0, "b");
        put(other, SOURCE, T0, "c");

        DescribeArchiveResponse archive = events.describeArchive(b -> b.archiveName(name));

        assertThat(archive.eventCount()).isEqualTo(2);
        assertThat(archive.sizeBytes()).isPositive();
        assertThat(archive.eventSourceArn()).isEqualTo(bus.arn);
        assertThat(archive.eventPattern()).isNull();
        assertThat(archive.retentionDays()).isEqualTo(7);
        assertThat(archive.description()).isEqualTo("all of it");
        assertThat(archive.stateAsString()).isEqualTo("ENABLED");
        assertThat(archive.archiveArn()).isEqualTo("arn:aws:events:us-east-1:000000000000:archive/" + name);
    }

    @Test
    void startReplay_whenFilterArnsGiven_thenOnlyThoseRulesReceiveTheEvents() {
        Bus bus = bus();
        String archiveArn = events.createArchive(b -> b.archiveName(LocalEventBridge.unique("filtered"))
                .eventSourceArn(bus.arn)).archiveArn();
        Queue mine = subscribe(bus, PATTERN);
        Queue theirs = subscribe(bus, PATTERN);
        put(bus, SOURCE, T0, "one");
        local.drainBodies(mine);
        local.drainBodies(theirs);
        String myRuleArn = events.listRules(b -> b.eventBusName(bus.name)).rules().stream()
                .filter(r -> r.name().equals(mine.name())).findFirst().orElseThrow().arn();

        String replayName = LocalEventBridge.unique("mine-only");
        events.startReplay(b -> b.replayName(replayName).eventSourceArn(archiveArn).eventStartTime(T0)
                .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(bus.arn).filterArns(myRuleArn)));

        assertThat(awaitEnd(replayName).state()).isEqualTo(ReplayState.COMPLETED);
        assertThat(local.drainBodies(mine)).hasSize(1);
        assertThat(local.drainBodies(theirs)).as("a rule outside FilterArns").isEmpty();
        assertThat(events.describeReplay(b -> b.replayName(replayName)).destination().filterArns()).containsExactly(myRuleArn);
    }

    @Test
    void archiveOperations_whenNamesAreTakenOrUnknown_thenAnswerAsEventBridge() {
        Bus bus = bus();
        String name = LocalEventBridge.unique("taken");
        events.createArchive(b -> b.archiveName(name).eventSourceArn(bus.arn));

        assertThatThrownBy(() -> events.createArchive(b -> b.archiveName(name).eventSourceArn(bus.arn)))
                .isInstanceOf(ResourceAlreadyExistsException.class).hasMessageStartingWith("Archive " + name + " already exists.");
        assertThatThrownBy(() -> events.createArchive(b -> b.archiveName(LocalEventBridge.unique("x"))
                .eventSourceArn("arn:aws:events:us-east-1:000000000000:event-bus/no-such-bus")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageStartingWith("Event bus no-such-bus does not exist.");
        assertThatThrownBy(() -> events.createArchive(b -> b.archiveName(LocalEventBridge.unique("x"))
                .eventSourceArn(bus.arn).eventPattern("{\"source\":\"not-a-list\"}")))
                .isInstanceOf(software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException.class);

        events.deleteArchive(b -> b.archiveName(name));

        assertThatThrownBy(() -> events.describeArchive(b -> b.archiveName(name)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageStartingWith("Archive " + name + " does not exist.");
        assertThatThrownBy(() -> events.deleteArchive(b -> b.archiveName(name)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void startReplay_whenRequestIsInvalid_thenAnswersAsEventBridge() {
        Bus bus = bus();
        Bus other = bus();
        String archiveArn = events.createArchive(b -> b.archiveName(LocalEventBridge.unique("checked"))
                .eventSourceArn(bus.arn)).archiveArn();
        String replayName = LocalEventBridge.unique("once");
        events.startReplay(b -> b.replayName(replayName).eventSourceArn(archiveArn).eventStartTime(T0)
                .eventEndTime(T0.plusSeconds(60)).destination(d -> d.arn(bus.arn)));

        assertThatThrownBy(() -> events.startReplay(b -> b.replayName(replayName).eventSourceArn(archiveArn)
                .eventStartTime(T0).eventEndTime(T0.plusSeconds(60)).destination(d -> d.arn(bus.arn))))
                .isInstanceOf(ResourceAlreadyExistsException.class).hasMessageStartingWith("Replay " + replayName + " already exists.");
        assertThat(validationMessage(() -> events.startReplay(b -> b.replayName(LocalEventBridge.unique("r"))
                .eventSourceArn(archiveArn).eventStartTime(T0).eventEndTime(T0).destination(d -> d.arn(bus.arn)))))
                .isEqualTo("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.");
        assertThat(validationMessage(() -> events.startReplay(b -> b.replayName(LocalEventBridge.unique("r"))
                .eventSourceArn("arn:aws:events:us-east-1:000000000000:archive/nothing-here").eventStartTime(T0)
                .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(bus.arn)))))
                .isEqualTo("Parameter EventSourceArn is not valid. Reason: Archive nothing-here does not exist.");
        assertThat(validationMessage(() -> events.startReplay(b -> b.replayName(LocalEventBridge.unique("r"))
                .eventSourceArn(archiveArn).eventStartTime(T0).eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(other.arn)))))
                .isEqualTo("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
        assertThatThrownBy(() -> events.describeReplay(b -> b.replayName("never-started")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageStartingWith("Replay never-started does not exist.");
    }

    @Test
    void startReplay_whenTheBusIsGoneByThen_thenTheReplayFailsWithTheReason() {
        Bus bus = bus();
        String archiveArn = events.createArchive(b -> b.archiveName(LocalEventBridge.unique("orphan"))
                .eventSourceArn(bus.arn)).archiveArn();
        put(bus, SOURCE, T0, "lost");
        events.deleteEventBus(b -> b.name(bus.name));
        String replayName = LocalEventBridge.unique("doomed");

        events.startReplay(b -> b.replayName(replayName).eventSourceArn(archiveArn).eventStartTime(T0)
                .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(bus.arn)));
        DescribeReplayResponse replay = awaitEnd(replayName);

        assertThat(replay.state()).isEqualTo(ReplayState.FAILED);
        assertThat(replay.stateReason()).isEqualTo("Event bus " + bus.name + " does not exist.");
    }

    @Test
    void archive_whenTheEndpointRestartsOnTheSameDataDir_thenItsEventsAreReplayedAfterTheRestart(@TempDir Path dataDir) {
        String busName = LocalEventBridge.unique("durable");
        String archiveName = LocalEventBridge.unique("yesterday");
        String archiveArn;
        try (EventBridgeEmulator first = EventBridgeEmulator.start(0, local.sqs(), LocalEventBridge.REGION,
                LocalEventBridge.ACCOUNT, dataDir);
             EventBridgeClient client = LocalEventBridge.eventBridgeClient(first.endpoint(), AwsRetryStrategy.defaultRetryStrategy())) {
            String busArn = client.createEventBus(b -> b.name(busName)).eventBusArn();
            archiveArn = client.createArchive(b -> b.archiveName(archiveName).eventSourceArn(busArn).eventPattern(PATTERN))
                    .archiveArn();
            client.putEvents(b -> b.entries(entry(busName, SOURCE, T0, "kept-1"), entry(busName, SOURCE, T0, "kept-2")));
        }

        try (EventBridgeEmulator second = EventBridgeEmulator.start(0, local.sqs(), LocalEventBridge.REGION,
                LocalEventBridge.ACCOUNT, dataDir);
             EventBridgeClient client = LocalEventBridge.eventBridgeClient(second.endpoint(), AwsRetryStrategy.defaultRetryStrategy())) {
            assertThat(client.describeArchive(b -> b.archiveName(archiveName)).eventCount()).as("after the restart").isEqualTo(2);
            // buses and rules are not kept: whoever runs the endpoint creates them again, as the local runtime does
            String busArn = client.createEventBus(b -> b.name(busName)).eventBusArn();
            Queue queue = local.createQueue("after-restart");
            client.putRule(b -> b.name(queue.name()).eventBusName(busName).eventPattern(PATTERN));
            client.putTargets(b -> b.rule(queue.name()).eventBusName(busName).targets(t -> t.id("q").arn(queue.arn())));
            String replayName = LocalEventBridge.unique("after-restart");

            client.startReplay(b -> b.replayName(replayName).eventSourceArn(archiveArn).eventStartTime(T0)
                    .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(busArn)));
            await("replay " + replayName + " completed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.describeReplay(b -> b.replayName(replayName)).state() == ReplayState.COMPLETED);

            assertThat(local.drainBodies(queue)).extracting(e -> e.get("detail").get("name").asText())
                    .containsExactlyInAnyOrder("kept-1", "kept-2");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private record Bus(String name, String arn) {
    }

    private static Bus bus() {
        String name = LocalEventBridge.unique("archived-bus");
        return new Bus(name, events.createEventBus(b -> b.name(name)).eventBusArn());
    }

    /** A queue behind a new rule of the bus; the rule is named like the queue. */
    private static Queue subscribe(Bus bus, String pattern) {
        Queue queue = local.createQueue("replayed");
        events.putRule(b -> b.name(queue.name()).eventBusName(bus.name).eventPattern(pattern));
        events.putTargets(b -> b.rule(queue.name()).eventBusName(bus.name).targets(t -> t.id("queue").arn(queue.arn())));
        return queue;
    }

    private static void put(Bus bus, String source, Instant time, String name) {
        assertThat(events.putEvents(b -> b.entries(entry(bus.name, source, time, name))).failedEntryCount()).isZero();
    }

    private static PutEventsRequestEntry entry(String busName, String source, Instant time, String name) {
        return PutEventsRequestEntry.builder().eventBusName(busName).source(source).detailType("OrderConfirmed")
                .time(time).detail("{\"name\":\"" + name + "\",\"total\":\"12.50\"}").build();
    }

    private static DescribeReplayResponse awaitEnd(String replayName) {
        return await("replay " + replayName + " COMPLETED or FAILED").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> events.describeReplay(b -> b.replayName(replayName)),
                        r -> r.state() == ReplayState.COMPLETED || r.state() == ReplayState.FAILED);
    }

    private static String archiveName(String archiveArn) {
        return archiveArn.substring(archiveArn.lastIndexOf('/') + 1);
    }

    private static String validationMessage(Runnable call) {
        try {
            call.run();
        } catch (EventBridgeException e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            return e.awsErrorDetails().errorMessage();
        }
        throw new AssertionError("expected a ValidationException");
    }
}
