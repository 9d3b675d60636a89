package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The archives of the endpoint by name. With a directory, each archive is two files there: {@code NAME.archive.json}
 * (its definition, written atomically when it is created) and {@code NAME.events.jsonl} (its events, appended); both
 * are loaded at start and removed with the archive.
 */
final class Archives {
    private static final String DEFINITION = ".archive.json";
    private static final String EVENTS = ".events.jsonl";

    private final ConcurrentMap<String, Archive> byName = new ConcurrentHashMap<>();
    private final Path directory;

    /** @param directory where archives are kept, or null to keep them in memory */
    Archives(Path directory) {
        this.directory = directory;
        if (directory != null) {
            load();
        }
    }

    /** @throws ApiException {@code ResourceAlreadyExistsException} when an archive of that name exists */
    synchronized Archive create(String name, String arn, String eventSourceArn, Optional<EventPattern> pattern,
                                Optional<String> description, int retentionDays) {
        if (byName.containsKey(name)) {
            throw new ApiException(400, "ResourceAlreadyExistsException", "Archive " + name + " already exists.");
        }
        Path events = null;
        if (directory != null) {
            events = directory.resolve(name + EVENTS);
            try {
                Files.deleteIfExists(events); // left by a process that stopped before it wrote the definition
            } catch (IOException e) {
                throw new UncheckedIOException("could not create archive " + name + " in " + directory, e);
            }
        }
        Archive archive = new Archive(name, arn, eventSourceArn, pattern, description, retentionDays, Instant.now(), events);
        if (directory != null) {
            writeAtomically(directory.resolve(name + DEFINITION), archive.definition());
        }
        byName.put(name, archive);
        return archive;
    }

    /** @throws ApiException {@code ResourceNotFoundException} when there is no archive of that name */
    Archive require(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    Optional<Archive> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Optional<Archive> findByArn(String arn) {
        return byName.values().stream().filter(archive -> archive.arn().equals(arn)).findFirst();
    }

    /** @throws ApiException {@code ResourceNotFoundException} when there is no archive of that name */
    synchronized void remove(String name) {
        Archive archive = byName.remove(name);
        if (archive == null) {
            throw notFound(name);
        }
        archive.close();
        if (directory != null) {
            try {
                Files.deleteIfExists(directory.resolve(name + DEFINITION));
                Files.deleteIfExists(directory.resolve(name + EVENTS));
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the files of archive " + name, e);
            }
        }
    }

    /** Called for every event PutEvents accepts: each archive of the bus whose pattern matches it keeps it. */
    void keep(EventBus bus, ObjectNode envelope) {
        for (Archive archive : byName.values()) {
            if (archive.keeps(bus.arn(), envelope)) {
                archive.append(envelope);
            }
        }
    }

    void close() {
        byName.values().forEach(Archive::close);
    }

    private void load() {
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> definitions = Files.newDirectoryStream(directory, "*" + DEFINITION)) {
                for (Path definition : definitions) {
                    String file = definition.getFileName().toString();
                    String name = file.substring(0, file.length() - DEFINITION.length());
                    byName.put(name, Archive.fromDefinition(Json.MAPPER.readTree(definition.toFile()),
                            directory.resolve(name + EVENTS)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not load the archives from " + directory, e);
        }
    }

    private static void writeAtomically(Path file, ObjectNode json) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Json.MAPPER.writeValue(temporary.toFile(), json);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static ApiException notFound(String name) {
        return new ApiException(400, "ResourceNotFoundException", "Archive " + name + " does not exist.");
    }
}
