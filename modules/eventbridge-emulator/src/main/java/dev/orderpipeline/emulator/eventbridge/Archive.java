package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One archive: its definition, and the events of its source bus that its pattern matched (all of them without a
 * pattern), each with the event's {@code time}, which is what a replay selects on.
 *
 * <p>With a file, every event is appended to it as one JSON line and flushed before PutEvents answers, so a
 * restarted endpoint finds what the previous process acknowledged. A line cut short by a kill is skipped on load.
 */
final class Archive {
    private final String name;
    private final String arn;
    private final String eventSourceArn;
    private final Optional<EventPattern> pattern;
    private final Optional<String> description;
    private final int retentionDays;
    private final Instant creationTime;
    private final List<Archived> events = new ArrayList<>();
    private long sizeBytes;
    private final OutputStream file;

    private record Archived(Instant time, ObjectNode envelope) {
    }

    /**
     * @param file the archive's event file, whose events are loaded and to which new ones are appended; null keeps
     *             the events in memory only
     */
    Archive(String name, String arn, String eventSourceArn, Optional<EventPattern> pattern, Optional<String> description,
            int retentionDays, Instant creationTime, Path file) {
        this.name = name;
        this.arn = arn;
        this.eventSourceArn = eventSourceArn;
        this.pattern = pattern;
        this.description = description;
        this.retentionDays = retentionDays;
        this.creationTime = creationTime;
        this.file = file == null ? null : loadAndOpen(file);
    }

    String name() {
        return name;
    }

    String arn() {
        return arn;
    }

    String eventSourceArn() {
        return eventSourceArn;
    }

    /** What the pattern matches of its bus's events, or all of them. (Replays never reach here: not archived again.) */
    boolean keeps(String busArn, ObjectNode envelope) {
        return eventSourceArn.equals(busArn) && pattern.map(p -> p.matches(envelope)).orElse(true);
    }

    synchronized void append(ObjectNode envelope) {
        byte[] line = (envelope.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        if (file != null) {
            try {
                file.write(line);
                file.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("could not write to archive " + name, e);
            }
        }
        events.add(new Archived(Instant.parse(envelope.get("time").textValue()), envelope));
        sizeBytes += line.length;
    }

    /** The archived events whose time lies in [from, to), oldest first. */
    synchronized List<ObjectNode> between(Instant from, Instant to) {
        return events.stream()
                .filter(e -> !e.time().isBefore(from) && e.time().isBefore(to))
                .sorted(Comparator.comparing(Archived::time))
                .map(Archived::envelope)
                .toList();
    }

    synchronized ObjectNode describe() {
        ObjectNode json = Json.object()
                .put("ArchiveArn", arn)
                .put("ArchiveName", name)
                .put("EventSourceArn", eventSourceArn);
        description.ifPresent(text -> json.put("Description", text));
        pattern.ifPresent(p -> json.put("EventPattern", p.text()));
        return json.put("State", "ENABLED")
                .put("RetentionDays", retentionDays)
                .put("SizeBytes", sizeBytes)
                .put("EventCount", events.size())
                .put("CreationTime", Json.epochSeconds(creationTime));
    }

    /** The definition as the archive's definition file keeps it. */
    ObjectNode definition() {
        ObjectNode json = Json.object().put("ArchiveName", name).put("ArchiveArn", arn)
                .put("EventSourceArn", eventSourceArn).put("RetentionDays", retentionDays)
                .put("CreationTime", creationTime.toString());
        description.ifPresent(text -> json.put("Description", text));
        pattern.ifPresent(p -> json.put("EventPattern", p.text()));
        return json;
    }

    /** An archive as {@link #definition()} wrote it, with the events of its file. */
    static Archive fromDefinition(JsonNode json, Path file) {
        return new Archive(json.get("ArchiveName").textValue(), json.get("ArchiveArn").textValue(),
                json.get("EventSourceArn").textValue(),
                Optional.ofNullable(json.get("EventPattern")).map(JsonNode::textValue).map(EventPattern::compile),
                Optional.ofNullable(json.get("Description")).map(JsonNode::textValue),
                json.path("RetentionDays").asInt(), Instant.parse(json.get("CreationTime").textValue()), file);
    }

    synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // every event was flushed when it was archived
            }
        }
    }

    private OutputStream loadAndOpen(Path path) {
        try {
            boolean tornLastLine = false;
            if (Files.exists(path)) {
                String content = Files.readString(path, StandardCharsets.UTF_8);
                content.lines().forEach(this::load);
                tornLastLine = !content.isEmpty() && !content.endsWith("\n");
            }
            OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (tornLastLine) {
                out.write('\n'); // the next event must not be glued to the fragment
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open archive " + name + " at " + path, e);
        }
    }

    private void load(String line) {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return; // the last line of a process that was killed while writing it
        }
        if (event instanceof ObjectNode envelope && envelope.hasNonNull("time")) {
            events.add(new Archived(Instant.parse(envelope.get("time").textValue()), envelope));
            sizeBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
    }
}
