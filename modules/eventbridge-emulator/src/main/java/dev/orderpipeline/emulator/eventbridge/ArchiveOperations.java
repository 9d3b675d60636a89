package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * CreateArchive, DescribeArchive, DeleteArchive, StartReplay and DescribeReplay: what {@code orders events replay}
 * and a subscriber replaying history need, with AWS's error codes and messages.
 *
 * <p>A replay runs on its own thread, as on AWS: StartReplay answers STARTING, and DescribeReplay follows it to
 * COMPLETED (or FAILED with a reason). It puts the archived events whose {@code time} lies in
 * [EventStartTime, EventEndTime), oldest first, onto the archive's bus with a {@code replay-name} field added; they
 * reach the bus's rules (only those of {@code Destination.FilterArns}, when given) but no archive.
 */
final class ArchiveOperations {
    static final String REPLAY_NAME = "replay-name";

    private static final System.Logger LOG = System.getLogger(ArchiveOperations.class.getName());
    private static final Pattern NAME = Pattern.compile("[\\.\\-_A-Za-z0-9]+");

    private final EventBuses buses;
    private final AwsAccount account;
    private final Archives archives;
    private final SqsTargetSender sender;
    private final ConcurrentMap<String, Replay> replays = new ConcurrentHashMap<>();
    private final ExecutorService replayThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "eventbridge-emulator-replay");
        thread.setDaemon(true);
        return thread;
    });

    ArchiveOperations(EventBuses buses, AwsAccount account, Archives archives, SqsTargetSender sender) {
        this.buses = buses;
        this.account = account;
        this.archives = archives;
        this.sender = sender;
    }

    /** Retention and KMS keys are accepted and shown, not acted on: a local archive keeps its events until deleted. */
    ObjectNode createArchive(JsonNode request) {
        String name = Json.requiredName(request, "ArchiveName", NAME, 48);
        String sourceArn = Json.requiredText(request, "EventSourceArn");
        if (archives.find(name).isPresent()) {
            throw new ApiException(400, "ResourceAlreadyExistsException", "Archive " + name + " already exists.");
        }
        EventBus bus = buses.require(sourceArn);
        Optional<EventPattern> pattern = Json.optionalText(request, "EventPattern").map(EventPattern::compile);
        int retentionDays = Json.optionalInt(request, "RetentionDays").orElse(0);
        if (retentionDays < 0) {
            throw ApiException.validation("1 validation error detected: Value '" + retentionDays
                    + "' at 'retentionDays' failed to satisfy constraint: Member must have value greater than or equal to 0");
        }
        Archive archive = archives.create(name, account.archiveArn(name), bus.arn(), pattern,
                Json.optionalText(request, "Description"), retentionDays);
        ObjectNode described = archive.describe();
        return Json.object().put("ArchiveArn", archive.arn()).put("State", "ENABLED")
                .set("CreationTime", described.get("CreationTime"));
    }

    ObjectNode describeArchive(JsonNode request) {
        return archives.require(Json.requiredText(request, "ArchiveName")).describe();
    }

    ObjectNode deleteArchive(JsonNode request) {
        archives.remove(Json.requiredText(request, "ArchiveName"));
        return Json.object();
    }

    ObjectNode startReplay(JsonNode request) {
        String name = Json.requiredName(request, "ReplayName", NAME, 64);
        String archiveArn = Json.requiredText(request, "EventSourceArn");
        Instant start = Json.optionalTimestamp(request, "EventStartTime").orElseThrow(() -> ApiException.notNull("eventStartTime"));
        Instant end = Json.optionalTimestamp(request, "EventEndTime").orElseThrow(() -> ApiException.notNull("eventEndTime"));
        JsonNode destination = request.get("Destination");
        if (destination == null || !destination.isObject()) {
            throw ApiException.notNull("destination");
        }
        String destinationArn = Json.requiredText(destination, "Arn");
        List<String> filterArns = new ArrayList<>();
        if (destination.hasNonNull("FilterArns")) {
            Json.requiredArray(destination, "FilterArns").forEach(arn -> filterArns.add(arn.asText()));
        }

        if (replays.containsKey(name)) {
            throw new ApiException(400, "ResourceAlreadyExistsException", "Replay " + name + " already exists.");
        }
        if (!start.isBefore(end)) {
            throw ApiException.validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.");
        }
        Archive archive = archives.findByArn(archiveArn).orElseThrow(() -> ApiException.validation(
                "Parameter EventSourceArn is not valid. Reason: Archive " + archiveArn.substring(archiveArn.lastIndexOf('/') + 1)
                        + " does not exist."));
        if (!destinationArn.equals(archive.eventSourceArn())) {
            buses.require(destinationArn);
            throw ApiException.validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
        }

        Replay replay = new Replay(name, account.replayArn(name), Json.optionalText(request, "Description"), archive, start,
                end, destinationArn, filterArns);
        if (replays.putIfAbsent(name, replay) != null) {
            throw new ApiException(400, "ResourceAlreadyExistsException", "Replay " + name + " already exists.");
        }
        replayThread.execute(() -> run(replay));
        return Json.object().put("ReplayArn", replay.arn).put("State", Replay.State.STARTING.name())
                .put("ReplayStartTime", Json.epochSeconds(replay.replayStartTime));
    }

    ObjectNode describeReplay(JsonNode request) {
        String name = Json.requiredText(request, "ReplayName");
        Replay replay = replays.get(name);
        if (replay == null) {
            throw new ApiException(400, "ResourceNotFoundException", "Replay " + name + " does not exist.");
        }
        return replay.describe();
    }

    void close() {
        replayThread.shutdownNow();
    }

    private void run(Replay replay) {
        replay.running();
        try {
            EventBus bus = buses.require(replay.destinationArn);
            for (ObjectNode archived : replay.archive.between(replay.eventStartTime, replay.eventEndTime)) {
                ObjectNode event = archived.deepCopy().put(REPLAY_NAME, replay.name);
                sender.route(bus, event, rule -> replay.filterArns.isEmpty() || replay.filterArns.contains(rule.arn()));
                replay.replayed(Instant.parse(event.get("time").textValue()));
            }
            replay.completed();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Replay {0} failed: {1}", replay.name, e.getMessage());
            replay.failed(e.getMessage());
        }
    }
}
