package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.orderpipeline.emulator.eventbridge.LocalEventBridge.Queue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.InternalException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.eventbridge.model.ThrottlingException;

/** The failure hooks the pipeline's own tests use to exercise its retry and partial-failure handling. */
class FaultInjectionIT {
    private static LocalEventBridge local;
    private static EventBridgeClient withoutRetries;

    private String bus;
    private Queue queue;

    @BeforeAll
    static void start() {
        local = LocalEventBridge.start();
        withoutRetries = local.eventBridgeClient(AwsRetryStrategy.doNotRetry());
    }

    @AfterAll
    static void stop() {
        withoutRetries.close();
        local.close();
    }

    @BeforeEach
    void busWithQueueTarget() {
        bus = LocalEventBridge.unique("bus");
        queue = local.createQueue("target");
        withoutRetries.createEventBus(request -> request.name(bus));
        withoutRetries.putRule(request ->
                request.name("all").eventBusName(bus).eventPattern("{\"source\":[\"shop\"]}"));
        withoutRetries.putTargets(request -> request.rule("all").eventBusName(bus)
                .targets(Target.builder().id("queue").arn(queue.arn()).build()));
    }

    @Test
    void failNextEntries_whenArmed_thenNextEntriesFailAcrossCallsAndAreNotDelivered() {
        long acceptedBefore = local.emulator().putEventsEntriesAccepted();
        local.emulator().failNextEntries(3, "ThrottlingException", "Rate exceeded");

        PutEventsResponse first = withoutRetries.putEvents(request -> request.entries(entry("a"), entry("b")));
        PutEventsResponse second = withoutRetries.putEvents(request -> request.entries(entry("c"), entry("d")));
        PutEventsResponse third = withoutRetries.putEvents(request -> request.entries(entry("e")));

        assertThat(first.failedEntryCount()).isEqualTo(2);
        assertThat(first.entries())
                .extracting(PutEventsResultEntry::eventId, PutEventsResultEntry::errorCode,
                        PutEventsResultEntry::errorMessage)
                .containsOnly(tuple(null, "ThrottlingException", "Rate exceeded"));
        assertThat(second.failedEntryCount()).isEqualTo(1);
        assertThat(second.entries().get(0).errorCode()).isEqualTo("ThrottlingException");
        assertThat(second.entries().get(1).eventId()).isNotBlank();
        assertThat(third.failedEntryCount()).isZero();
        assertThat(local.emulator().putEventsEntriesAccepted()).isEqualTo(acceptedBefore + 2);
        assertThat(local.drainBodies(queue))
                .extracting(envelope -> envelope.get("detail").get("step").asText())
                .containsExactlyInAnyOrder("d", "e");
    }

    @Test
    void failNextCalls_whenArmedWithThrottling_thenThoseCallsFailWithStatusAndType() {
        local.emulator().failNextCalls(2, 400, "ThrottlingException");

        for (String step : new String[] {"a", "b"}) {
            assertThatThrownBy(() -> withoutRetries.putEvents(request -> request.entries(entry(step))))
                    .isInstanceOfSatisfying(ThrottlingException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                    });
        }
        PutEventsResponse third = withoutRetries.putEvents(request -> request.entries(entry("c")));

        assertThat(third.failedEntryCount()).isZero();
        assertThat(local.drainBodies(queue))
                .extracting(envelope -> envelope.get("detail").get("step").asText())
                .containsExactly("c");
    }

    @Test
    void failNextCalls_whenArmedWithInternalError_thenSdkRaisesInternalExceptionWithStatus500() {
        local.emulator().failNextCalls(1, 500, "InternalException");

        assertThatThrownBy(() -> withoutRetries.putEvents(request -> request.entries(entry("a"))))
                .isInstanceOfSatisfying(InternalException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(local.drain(queue)).isEmpty();
    }

    @Test
    void failNextCalls_whenClientRetries_thenTheRetryPutsTheEventOnce() {
        local.emulator().failNextCalls(1, 500, "InternalException");

        PutEventsResponse response = local.events().putEvents(request -> request.entries(entry("a")));

        assertThat(response.failedEntryCount()).isZero();
        assertThat(local.drainBodies(queue))
                .extracting(envelope -> envelope.get("id").asText())
                .containsExactly(response.entries().get(0).eventId());
    }

    private PutEventsRequestEntry entry(String step) {
        return PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source("shop")
                .detailType("OrderConfirmed")
                .detail("{\"step\":\"" + step + "\"}")
                .build();
    }
}
