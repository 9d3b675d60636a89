package dev.orderpipeline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.StartReplayResponse;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays archived OrderConfirmed events (the stack's OrderConfirmedArchive) onto the order "
                + "events bus: EventBridge StartReplay for events that occurred between --from and --to.",
                "Replayed events reach every rule of the bus again, so every subscriber gets them a second time; "
                        + "subscribers de-duplicate on the event's eventId.",
                "Works on the local runtime too: its EventBridge endpoint archives every OrderConfirmed (kept across "
                        + "restarts with ./run-local --data-dir)."},
        footer = {"", "Examples:", "  orders events replay --from 2026-11-26T10:00:00Z --to 2026-11-26T11:00:00Z --wait",
                "  orders --stack order-pipeline-prod events replay --from 2026-11-26T10:00:00Z "
                + "--to 2026-11-26T11:00:00Z --wait"})
final class EventsReplayCommand extends CliCommand {
    @Option(names = "--from", required = true, paramLabel = "INSTANT",
            description = "Replay events from this ISO-8601 instant, e.g. 2026-11-26T10:00:00Z.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "INSTANT",
            description = "…up to this ISO-8601 instant (exclusive).")
    Instant to;

    @Option(names = "--wait", description = "Follow the replay until it is COMPLETED (exit 0), FAILED or CANCELLED (exit 1).")
    boolean waitForEnd;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}); the replay itself continues.")
    Duration timeout;

    @Override
    public Integer call() {
        if (!from.isBefore(to)) {
            throw usage("--from (" + from + ") must be before --to (" + to + ")");
        }
        Target target = target();
        String archiveArn = target.require(Target.Value.ARCHIVE_ARN);
        String busArn = target.require(Target.Value.EVENT_BUS_ARN);
        String name = "orders-cli-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        PrintWriter out = out();
        try (EventBridgeClient events = new CliClients(target).build(EventBridgeClient.builder())) {
            StartReplayResponse started = events.startReplay(b -> b.replayName(name)
                    .description("orders events replay " + from + " .. " + to)
                    .eventSourceArn(archiveArn)
                    .eventStartTime(from)
                    .eventEndTime(to)
                    .destination(d -> d.arn(busArn)));
            out.println("started replay " + name + " (" + started.stateAsString() + "): archived events from " + from
                    + " to " + to + " onto " + busArn);
            out.println("replay: " + started.replayArn());
            out.flush();
            if (!waitForEnd) {
                out.println("follow it with: aws events describe-replay --replay-name " + name
                        + target.awsEndpoint().map(endpoint -> " --endpoint-url " + endpoint).orElse(""));
                out.flush();
                return 0;
            }
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                DescribeReplayResponse replay = events.describeReplay(b -> b.replayName(name));
                ReplayState state = replay.state();
                if (state == ReplayState.COMPLETED) {
                    out.println("replay COMPLETED" + (replay.eventLastReplayedTime() != null
                            ? " (last replayed event time " + replay.eventLastReplayedTime() + ")" : ""));
                    out.flush();
                    return 0;
                }
                if (state == ReplayState.FAILED || state == ReplayState.CANCELLED) {
                    throw CliException.failed("replay " + name + " ended " + replay.stateAsString() + ": "
                            + (replay.stateReason() == null ? "no reason given" : replay.stateReason()));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw CliException.failed("replay " + name + " is still " + replay.stateAsString() + " after "
                            + Text.age(timeout) + "; it continues: aws events describe-replay --replay-name " + name);
                }
                try {
                    // AWS replays in one-minute steps; the local endpoint is done in milliseconds
                    Thread.sleep(target.isStack() ? 5_000 : 200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw CliException.failed("interrupted", e);
                }
            }
        }
    }
}
