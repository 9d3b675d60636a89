package dev.orderpipeline.emulator.eventbridge;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One event bus; its rules live in a concurrent map keyed by rule name. */
final class EventBus {
    private final String name;
    private final String arn;
    private final Optional<String> description;
    private final Instant creationTime;
    private final ConcurrentMap<String, Rule> rules = new ConcurrentHashMap<>();

    EventBus(String name, String arn, Optional<String> description, Instant creationTime) {
        this.name = name;
        this.arn = arn;
        this.description = description;
        this.creationTime = creationTime;
    }

    String name() {
        return name;
    }

    String arn() {
        return arn;
    }

    Optional<String> description() {
        return description;
    }

    Instant creationTime() {
        return creationTime;
    }

    ConcurrentMap<String, Rule> rules() {
        return rules;
    }
}
