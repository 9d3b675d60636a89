package dev.orderpipeline.emulator.eventbridge;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** All event buses of the endpoint by name; the bus named {@value #DEFAULT_BUS} always exists. */
final class EventBuses {
    static final String DEFAULT_BUS = "default";

    private static final String ARN_BUS_MARKER = ":event-bus/";

    private final ConcurrentMap<String, EventBus> buses = new ConcurrentHashMap<>();

    EventBuses(AwsAccount account) {
        buses.put(DEFAULT_BUS,
                new EventBus(DEFAULT_BUS, account.eventBusArn(DEFAULT_BUS), Optional.empty(), Instant.now()));
    }

    /** Every API that takes an EventBusName also takes the bus ARN. */
    static String nameOf(String nameOrArn) {
        int marker = nameOrArn.indexOf(ARN_BUS_MARKER);
        return nameOrArn.startsWith("arn:") && marker > 0
                ? nameOrArn.substring(marker + ARN_BUS_MARKER.length())
                : nameOrArn;
    }

    Optional<EventBus> find(String nameOrArn) {
        return Optional.ofNullable(buses.get(nameOf(nameOrArn)));
    }

    /** @throws ApiException {@code ResourceNotFoundException} when no such bus exists */
    EventBus require(String nameOrArn) {
        return find(nameOrArn).orElseThrow(() -> ApiException.busNotFound(nameOf(nameOrArn)));
    }

    /** @return false when a bus of that name already exists */
    boolean add(EventBus bus) {
        return buses.putIfAbsent(bus.name(), bus) == null;
    }

    void remove(String name) {
        buses.remove(name);
    }
}
