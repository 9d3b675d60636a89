package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One replay and how far it got. The request fields are fixed; the state moves STARTING → RUNNING → COMPLETED or
 * FAILED on the replay thread while DescribeReplay reads it from others.
 */
final class Replay {
    enum State { STARTING, RUNNING, COMPLETED, FAILED }

    final String name;
    final String arn;
    final Optional<String> description;
    final Archive archive;
    final Instant eventStartTime;
    final Instant eventEndTime;
    final String destinationArn;
    /** Rule ARNs of {@code Destination.FilterArns}; empty = every rule of the destination bus. */
    final List<String> filterArns;
    final Instant replayStartTime = Instant.now();

    private volatile State state = State.STARTING;
    private volatile String stateReason;
    private volatile Instant eventLastReplayedTime;
    private volatile Instant replayEndTime;

    Replay(String name, String arn, Optional<String> description, Archive archive, Instant eventStartTime,
           Instant eventEndTime, String destinationArn, List<String> filterArns) {
        this.name = name;
        this.arn = arn;
        this.description = description;
        this.archive = archive;
        this.eventStartTime = eventStartTime;
        this.eventEndTime = eventEndTime;
        this.destinationArn = destinationArn;
        this.filterArns = List.copyOf(filterArns);
    }

    State state() {
        return state;
    }

    void running() {
        state = State.RUNNING;
    }

    void replayed(Instant eventTime) {
        eventLastReplayedTime = eventTime;
    }

    void completed() {
        replayEndTime = Instant.now();
        state = State.COMPLETED;
    }

    void failed(String reason) {
        stateReason = reason;
        replayEndTime = Instant.now();
        state = State.FAILED;
    }

    ObjectNode describe() {
        ObjectNode json = Json.object().put("ReplayName", name).put("ReplayArn", arn);
        description.ifPresent(text -> json.put("Description", text));
        json.put("State", state.name());
        if (stateReason != null) {
            json.put("StateReason", stateReason);
        }
        json.put("EventSourceArn", archive.arn());
        ObjectNode destination = json.putObject("Destination").put("Arn", destinationArn);
        if (!filterArns.isEmpty()) {
            filterArns.forEach(destination.putArray("FilterArns")::add);
        }
        json.put("EventStartTime", Json.epochSeconds(eventStartTime))
                .put("EventEndTime", Json.epochSeconds(eventEndTime));
        if (eventLastReplayedTime != null) {
            json.put("EventLastReplayedTime", Json.epochSeconds(eventLastReplayedTime));
        }
        json.put("ReplayStartTime", Json.epochSeconds(replayStartTime));
        if (replayEndTime != null) {
            json.put("ReplayEndTime", Json.epochSeconds(replayEndTime));
        }
        return json;
    }
}
