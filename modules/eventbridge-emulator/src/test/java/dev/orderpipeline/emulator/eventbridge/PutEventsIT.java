package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.emulator.eventbridge.LocalEventBridge.Queue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.model.Message;

/** PutEvents through the real SDK, checked at the SQS queues the matched events are delivered to. */
class PutEventsIT extends EventBridgeFixture {
    private static final String SOURCE = "shop.orders";
    private static final String CONFIRMED = "OrderConfirmed";
    private static final String ORDER_PATTERN = "{\"source\":[\"" + SOURCE + "\"]}";

    @Test
    void putEvents_whenRuleMatches_thenQueueReceivesTheEnvelope() {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);
        String detail = "{\"orderId\":\"o-1\",\"total\":{\"amount\":\"12.50\",\"currency\":\"EUR\"},"
                + "\"weightKg\":12.50}";
        String resource = "arn:aws:dynamodb:us-east-1:000000000000:table/orders";

        PutEventsResponse response = events.putEvents(request -> request.entries(entry(bus, detail).toBuilder()
                .time(Instant.parse("2026-11-26T10:00:00.789Z"))
                .resources(resource)
                .build()));

        assertThat(response.failedEntryCount()).isZero();
        String eventId = response.entries().get(0).eventId();
        assertThat(eventId).isNotBlank();
        List<Message> messages = local.drain(queue);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).contains("\"weightKg\":12.50");
        JsonNode envelope = LocalEventBridge.parse(messages.get(0).body());
        assertThat(envelope.fieldNames()).toIterable().containsExactly(
                "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");
        assertThat(envelope.get("version").asText()).isEqualTo("0");
        assertThat(envelope.get("id").asText()).isEqualTo(eventId);
        assertThat(envelope.get("detail-type").asText()).isEqualTo(CONFIRMED);
        assertThat(envelope.get("source").asText()).isEqualTo(SOURCE);
        assertThat(envelope.get("account").asText()).isEqualTo("000000000000");
        assertThat(envelope.get("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(envelope.get("region").asText()).isEqualTo("us-east-1");
        assertThat(envelope.get("resources").size()).isEqualTo(1);
        assertThat(envelope.get("resources").get(0).asText()).isEqualTo(resource);
        assertThat(envelope.get("detail")).isEqualTo(LocalEventBridge.parse(detail));
    }

    @Test
    void putEvents_whenTimeOmitted_thenEnvelopeTimeIsTheCurrentSecond() {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        events.putEvents(request -> request.entries(entry(bus, "{\"orderId\":\"o-2\"}")));

        JsonNode envelope = local.drainBodies(queue).get(0);
        String time = envelope.get("time").asText();
        assertThat(time).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(Instant.parse(time)).isBetween(before, Instant.now());
        assertThat(envelope.get("resources").isArray()).isTrue();
        assertThat(envelope.get("resources").size()).isZero();
    }

    static Stream<Arguments> operatorPatterns() {
        return Stream.of(
                Arguments.of("prefix", "{\"detail\":{\"orderNumber\":[{\"prefix\":\"ORD-\"}]}}",
                        "{\"orderNumber\":\"ORD-42\"}", "{\"orderNumber\":\"TMP-42\"}"),
                Arguments.of("numeric range", "{\"detail\":{\"total\":[{\"numeric\":[\">=\",100,\"<\",1000]}]}}",
                        "{\"total\":250.50}", "{\"total\":99.99}"),
                Arguments.of("anything-but",
                        "{\"detail\":{\"status\":[{\"anything-but\":[\"CANCELLED\",\"REJECTED\"]}]}}",
                        "{\"status\":\"CONFIRMED\"}", "{\"status\":\"CANCELLED\"}"),
                Arguments.of("exists true", "{\"detail\":{\"couponCode\":[{\"exists\":true}]}}",
                        "{\"orderId\":\"o-3\",\"couponCode\":\"WELCOME\"}", "{\"orderId\":\"o-3\"}"),
                Arguments.of("exists false", "{\"detail\":{\"couponCode\":[{\"exists\":false}]}}",
                        "{\"orderId\":\"o-3\"}", "{\"orderId\":\"o-3\",\"couponCode\":\"WELCOME\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorPatterns")
    void putEvents_whenPatternUsesOperator_thenOnlyTheMatchingEventIsDelivered(
            String operator, String pattern, String matchingDetail, String otherDetail) {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, pattern);

        PutEventsResponse response = events.putEvents(request -> request.entries(
                entry(bus, matchingDetail), entry(bus, otherDetail)));

        assertThat(response.failedEntryCount()).isZero();
        List<JsonNode> delivered = local.drainBodies(queue);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).get("id").asText()).isEqualTo(response.entries().get(0).eventId());
        assertThat(delivered.get(0).get("detail")).isEqualTo(LocalEventBridge.parse(matchingDetail));
    }

    @Test
    void putEvents_whenSeveralRulesAndTargetsMatch_thenEachTargetReceivesTheEventOnce() {
        String bus = newBus();
        Queue email = local.createQueue("email");
        Queue ledger = local.createQueue("ledger");
        Queue audit = local.createQueue("audit");
        Queue cancellations = local.createQueue("cancellations");
        rule(bus, "by-source", ORDER_PATTERN, email, ledger);
        rule(bus, "by-type", "{\"detail-type\":[\"" + CONFIRMED + "\"]}", audit);
        rule(bus, "cancelled", "{\"detail-type\":[\"OrderCancelled\"]}", cancellations);

        String eventId = events.putEvents(request -> request.entries(entry(bus, "{\"orderId\":\"o-4\"}")))
                .entries().get(0).eventId();

        for (Queue queue : List.of(email, ledger, audit)) {
            assertThat(local.drainBodies(queue)).as(queue.name())
                    .extracting(envelope -> envelope.get("id").asText())
                    .containsExactly(eventId);
        }
        assertThat(local.drain(cancellations)).isEmpty();
    }

    @Test
    void putEvents_whenNoRuleMatches_thenEntryIsAcceptedAndNothingDelivered() {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);
        long acceptedBefore = local.emulator().putEventsEntriesAccepted();

        PutEventsResponse response = events.putEvents(request -> request.entries(
                entry(bus, "{\"orderId\":\"o-5\"}").toBuilder().source("shop.payments").build()));

        assertThat(response.failedEntryCount()).isZero();
        assertThat(response.entries().get(0).eventId()).isNotBlank();
        assertThat(local.emulator().putEventsEntriesAccepted()).isEqualTo(acceptedBefore + 1);
        assertThat(local.drain(queue)).isEmpty();
    }

    @Test
    void putEvents_whenRuleDisabled_thenNothingDeliveredUntilPutEnabledAgain() {
        String bus = newBus();
        Queue queue = local.createQueue("confirmed");
        rule(bus, "confirmed", ORDER_PATTERN, queue);
        events.putRule(request -> request.name("confirmed").eventBusName(bus).eventPattern(ORDER_PATTERN)
                .state(software.amazon.awssdk.services.eventbridge.model.RuleState.DISABLED));

        events.putEvents(request -> request.entries(entry(bus, "{\"orderId\":\"while-disabled\"}")));
        List<Message> whileDisabled = local.drain(queue);
        events.putRule(request -> request.name("confirmed").eventBusName(bus).eventPattern(ORDER_PATTERN));
        events.putEvents(request -> request.entries(entry(bus, "{\"orderId\":\"after-enable\"}")));

        assertThat(whileDisabled).isEmpty();
        assertThat(local.drainBodies(queue))
                .extracting(envelope -> envelope.get("detail").get("orderId").asText())
                .containsExactly("after-enable");
    }

    @Test
    void putEvents_whenSomeEntriesInvalid_thenFailuresReportedInOrderAndValidEntriesDelivered() {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);

        PutEventsResponse response = events.putEvents(request -> request.entries(
                entry(bus, "{\"orderId\":\"first\"}"),
                entry(bus, "{\"orderId\":\"x\"}").toBuilder().detailType(null).build(),
                entry(bus, "[\"not\",\"an\",\"object\"]"),
                entry(bus, "{\"orderId\":\"second\"}"),
                entry(bus, "{not json"),
                entry(bus, "{\"orderId\":\"x\"}").toBuilder().source(null).build()));

        assertThat(response.failedEntryCount()).isEqualTo(4);
        assertThat(response.entries())
                .extracting(PutEventsResultEntry::errorCode, PutEventsResultEntry::errorMessage)
                .containsExactly(
                        tuple(null, null),
                        tuple("InvalidArgument",
                                "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
                        tuple("MalformedDetail", "Detail is malformed."),
                        tuple(null, null),
                        tuple("MalformedDetail", "Detail is malformed."),
                        tuple("InvalidArgument",
                                "Parameter Source is not valid. Reason: Source is a required argument."));
        assertThat(response.entries()).extracting(entry -> entry.eventId() != null)
                .containsExactly(true, false, false, true, false, false);
        assertThat(local.drainBodies(queue))
                .extracting(envelope -> envelope.get("id").asText())
                .containsExactlyInAnyOrder(response.entries().get(0).eventId(), response.entries().get(3).eventId());
    }

    @Test
    void putEvents_whenMoreThanTenEntries_thenValidationExceptionAndNothingPut() {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);
        List<PutEventsRequestEntry> eleven = IntStream.range(0, 11)
                .mapToObj(i -> entry(bus, "{\"orderId\":\"o-" + i + "\"}"))
                .toList();

        assertThatThrownBy(() -> events.putEvents(request -> request.entries(eleven)))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Member must have length between 1 and 10");
                });
        assertThat(local.drain(queue)).isEmpty();
    }

    @Test
    void putEvents_whenEntriesTogetherExceed256Kb_thenValidationException() {
        String bus = newBus();
        String large = "{\"padding\":\"" + "x".repeat(130 * 1024) + "\"}";

        assertThatThrownBy(() -> events.putEvents(request -> request.entries(entry(bus, large), entry(bus, large))))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Total size of the entries in the request is over the limit.");
                });
    }

    @Test
    void putEvents_whenBusUnknown_thenThatEntryFailsWithResourceNotFound() {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);

        PutEventsResponse response = events.putEvents(request -> request.entries(
                entry("no-such-bus", "{\"orderId\":\"lost\"}"), entry(bus, "{\"orderId\":\"kept\"}")));

        assertThat(response.failedEntryCount()).isEqualTo(1);
        assertThat(response.entries().get(0).errorCode()).isEqualTo("ResourceNotFoundException");
        assertThat(response.entries().get(0).errorMessage()).isEqualTo("Event bus no-such-bus does not exist.");
        assertThat(response.entries().get(1).eventId()).isNotBlank();
        assertThat(local.drainBodies(queue)).hasSize(1);
    }

    @Test
    void putEvents_whenBusGivenByArn_thenDeliveredOnThatBus() {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);
        String busArn = events.describeEventBus(request -> request.name(bus)).arn();

        events.putEvents(request -> request.entries(entry(busArn, "{\"orderId\":\"o-6\"}")));

        assertThat(local.drainBodies(queue)).hasSize(1);
    }

    @Test
    void putEvents_whenTargetsHaveInputPathOrInput_thenQueuesReceiveTheSelectedPartOrTheConstant() {
        String bus = newBus();
        Queue detailQueue = local.createQueue("detail");
        Queue orderIdQueue = local.createQueue("order-id");
        Queue constantQueue = local.createQueue("constant");
        events.putRule(request -> request.name("shaped").eventBusName(bus).eventPattern(ORDER_PATTERN));
        events.putTargets(request -> request.rule("shaped").eventBusName(bus).targets(
                Target.builder().id("detail").arn(detailQueue.arn()).inputPath("$.detail").build(),
                Target.builder().id("order-id").arn(orderIdQueue.arn()).inputPath("$.detail.orderId").build(),
                Target.builder().id("constant").arn(constantQueue.arn()).input("{\"kind\":\"ping\"}").build()));
        String detail = "{\"orderId\":\"o-7\",\"total\":\"99.90\"}";

        events.putEvents(request -> request.entries(entry(bus, detail)));

        assertThat(local.drain(detailQueue)).extracting(Message::body).containsExactly(detail);
        assertThat(local.drain(orderIdQueue)).extracting(Message::body).containsExactly("\"o-7\"");
        assertThat(local.drain(constantQueue)).extracting(Message::body).containsExactly("{\"kind\":\"ping\"}");
    }

    @Test
    void putEvents_whenTargetQueueIsMissing_thenEntrySucceedsAndDeliveryFailureIsCounted() {
        String bus = newBus();
        Queue deleted = local.createQueue("deleted");
        rule(bus, "to-deleted-queue", ORDER_PATTERN, deleted);
        local.deleteQueue(deleted);
        long failuresBefore = local.emulator().deliveryFailures();

        PutEventsResponse response = events.putEvents(request -> request.entries(entry(bus, "{\"orderId\":\"o-8\"}")));

        assertThat(response.failedEntryCount()).isZero();
        assertThat(response.entries().get(0).eventId()).isNotBlank();
        assertThat(local.emulator().deliveryFailures()).isEqualTo(failuresBefore + 1);
    }

    @Test
    void putEvents_whenFifoTargetHasMessageGroupId_thenDeliveredInThatGroup() {
        String bus = newBus();
        Queue fifo = local.createFifoQueue("confirmed");
        events.putRule(request -> request.name("fifo").eventBusName(bus).eventPattern(ORDER_PATTERN));
        events.putTargets(request -> request.rule("fifo").eventBusName(bus).targets(Target.builder()
                .id("fifo").arn(fifo.arn()).sqsParameters(sqs -> sqs.messageGroupId("orders")).build()));

        events.putEvents(request -> request.entries(entry(bus, "{\"orderId\":\"o-9\"}")));

        assertThat(local.drain(fifo))
                .extracting(message -> message.attributesAsStrings().get("MessageGroupId"))
                .containsExactly("orders");
    }

    @Test
    void putEvents_whenCalledConcurrently_thenEveryEventIsDeliveredExactlyOnce() throws Exception {
        String bus = newBus();
        Queue queue = ruleWithQueue(bus, ORDER_PATTERN);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<PutEventsResponse>> calls = new ArrayList<>();
        for (int call = 0; call < 40; call++) {
            String orderId = "o-" + call;
            calls.add(callers.submit(() -> events.putEvents(request -> request.entries(
                    entry(bus, "{\"orderId\":\"" + orderId + "-a\"}"),
                    entry(bus, "{\"orderId\":\"" + orderId + "-b\"}")))));
        }
        List<String> eventIds = new ArrayList<>();
        for (Future<PutEventsResponse> call : calls) {
            call.get(30, TimeUnit.SECONDS).entries().forEach(entry -> eventIds.add(entry.eventId()));
        }
        callers.shutdown();

        assertThat(eventIds).hasSize(80).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(local.drainBodies(queue))
                .extracting(envelope -> envelope.get("id").asText())
                .containsExactlyInAnyOrderElementsOf(eventIds);
    }

    private static String newBus() {
        String bus = LocalEventBridge.unique("bus");
        events.createEventBus(request -> request.name(bus));
        return bus;
    }

    private static Queue ruleWithQueue(String bus, String pattern) {
        Queue queue = local.createQueue("target");
        rule(bus, "rule", pattern, queue);
        return queue;
    }

    private static void rule(String bus, String name, String pattern, Queue... queues) {
        events.putRule(request -> request.name(name).eventBusName(bus).eventPattern(pattern));
        events.putTargets(request -> request.rule(name).eventBusName(bus).targets(Stream.of(queues)
                .map(queue -> Target.builder().id(queue.name()).arn(queue.arn()).build())
                .toList()));
    }

    private static PutEventsRequestEntry entry(String bus, String detail) {
        return PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source(SOURCE)
                .detailType(CONFIRMED)
                .detail(detail)
                .build();
    }
}
