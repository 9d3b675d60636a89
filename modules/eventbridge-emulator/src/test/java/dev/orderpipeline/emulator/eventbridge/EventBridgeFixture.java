package dev.orderpipeline.emulator.eventbridge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * One {@link LocalEventBridge} (ElasticMQ and the EventBridge endpoint on free loopback ports) per test class, and
 * the real SDK client pointed at it: each subclass gets its own, started before its first test and closed after its
 * last.
 */
abstract class EventBridgeFixture {
    static LocalEventBridge local;
    static EventBridgeClient events;

    @BeforeAll
    static void start() {
        local = LocalEventBridge.start();
        events = local.events();
    }

    @AfterAll
    static void stop() {
        local.close();
    }
}
