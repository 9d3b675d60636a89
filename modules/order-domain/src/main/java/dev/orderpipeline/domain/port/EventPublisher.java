package dev.orderpipeline.domain.port;

import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import java.util.List;
import java.util.Set;

/** Driven port: publishes {@code OrderConfirmed} events. */
public interface EventPublisher {
    /**
     * Publishes every event, retrying failed ones with backoff. Never throws for a publishing failure: the
     * result names the orders whose events are still unpublished, so their messages can be retried.
     */
    PublishResult publish(List<OrderConfirmed> events);

    /** @param retries how many entries had to be sent again (a measure of throttling and partial failures) */
    record PublishResult(Set<OrderId> failed, int retries) {
        public PublishResult {
            failed = Set.copyOf(failed);
        }
    }
}
