package dev.orderpipeline.bench.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Appends one JSON object per line to {@code results.jsonl}: every figure a table shows, plus when, where and with
 * which settings it was measured, so runs can be compared and plotted later.
 */
public final class ResultsLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;
    private final String label;

    public ResultsLog(Path file, String label) {
        this.file = file;
        this.label = label;
    }

    public Path file() {
        return file;
    }

    /** A record with the common header ({@code bench}, {@code time}, {@code label}, {@code machine}) filled in. */
    public ObjectNode record(String bench) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("bench", bench);
        node.put("time", Instant.now().toString());
        node.put("label", label);
        ObjectNode machine = node.putObject("machine");
        machine.put("cores", ProcessMetrics.cores());
        machine.put("java", System.getProperty("java.vm.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return node;
    }

    public void append(ObjectNode record) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, MAPPER.writeValueAsString(record) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to " + file, e);
        }
    }

    /** The most recent record of {@code bench} that satisfies {@code filter}, if the file has one. */
    public Optional<JsonNode> latest(String bench, java.util.function.Predicate<JsonNode> filter) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<JsonNode> matches = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = MAPPER.readTree(line);
                    if (bench.equals(node.path("bench").asText()) && filter.test(node)) {
                        matches.add(node);
                    }
                } catch (IOException e) {
                    // a damaged line is skipped, not fatal
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(matches.size() - 1));
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
