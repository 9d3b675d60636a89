package dev.orderpipeline.aws;

import dev.orderpipeline.domain.json.OrderConfirmedJson;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.port.EventPublisher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes {@code OrderConfirmed} on an EventBridge bus, ten entries per {@code PutEvents} call.
 *
 * <p>{@code PutEvents} succeeds or fails per entry: a 200 response can still carry {@code FailedEntryCount > 0}.
 * Only the failed entries are sent again, with exponential backoff and jitter, up to {@link #MAX_ATTEMPTS} times;
 * what still fails is returned to the caller, whose messages then go back to the queue. Nothing is dropped.
 */
public final class EventBridgeOrderPublisher implements EventPublisher {
    public static final int MAX_ENTRIES_PER_CALL = 10;
    public static final int MAX_ATTEMPTS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeOrderPublisher.class);

    private final EventBridgeClient eventBridge;
    private final String busName;
    private final String source;
    private final Sleeper sleeper;

    /** Pauses between attempts; replaced in tests so they run without real waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    public EventBridgeOrderPublisher(EventBridgeClient eventBridge, String busName, String source) {
        this(eventBridge, busName, source, Thread::sleep);
    }

    EventBridgeOrderPublisher(EventBridgeClient eventBridge, String busName, String source, Sleeper sleeper) {
        this.eventBridge = Objects.requireNonNull(eventBridge, "eventBridge");
        this.busName = Objects.requireNonNull(busName, "busName");
        this.source = Objects.requireNonNull(source, "source");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public PublishResult publish(List<OrderConfirmed> events) {
        Set<OrderId> failed = new LinkedHashSet<>();
        int retries = 0;
        for (int from = 0; from < events.size(); from += MAX_ENTRIES_PER_CALL) {
            List<OrderConfirmed> pending = events.subList(from, Math.min(events.size(), from + MAX_ENTRIES_PER_CALL));
            for (int attempt = 1; attempt <= MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
                if (attempt > 1) {
                    retries += pending.size();
                    if (!pause(attempt)) {
                        break;
                    }
                }
                pending = putOnce(pending);
            }
            pending.forEach(e -> failed.add(e.orderId()));
        }
        return new PublishResult(failed, retries);
    }

    /** Sends one call; returns the events that must be sent again. */
    private List<OrderConfirmed> putOnce(List<OrderConfirmed> events) {
        List<PutEventsRequestEntry> entries = new ArrayList<>(events.size());
        for (OrderConfirmed e : events) {
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(source)
                    .detailType(OrderConfirmed.DETAIL_TYPE)
                    .detail(OrderConfirmedJson.write(e))
                    .resources(List.of())
                    .build());
        }
        PutEventsResponse response;
        try {
            response = eventBridge.putEvents(PutEventsRequest.builder().entries(entries).build());
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            LOG.warn("PutEvents failed for {} event(s): {}", events.size(), e.getMessage());
            return events;
        }
        Integer failedCount = response.failedEntryCount();
        if (failedCount == null || failedCount == 0) {
            return List.of();
        }
        List<OrderConfirmed> again = new ArrayList<>();
        List<PutEventsResultEntry> results = response.entries();
        for (int i = 0; i < events.size(); i++) {
            PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
            if (result == null || result.errorCode() != null || result.eventId() == null) {
                again.add(events.get(i));
                LOG.warn("PutEvents entry for order {} failed: {}", events.get(i).orderId(),
                        result == null ? "no result entry" : result.errorCode());
            }
        }
        return again;
    }

    private boolean pause(int attempt) {
        long cap = 50L << (attempt - 2); // 50, 100, 200 ms
        try {
            sleeper.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
