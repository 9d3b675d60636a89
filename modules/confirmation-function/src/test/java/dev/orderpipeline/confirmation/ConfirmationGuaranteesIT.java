package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.json.OrderConfirmedJson;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.Sku;
import dev.orderpipeline.domain.port.EventPublisher;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.domain.port.SaveOutcome;
import dev.orderpipeline.emulator.dynamodb.Contention;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import dev.orderpipeline.domain.model.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The confirmation guarantees, proven against real DynamoDB and EventBridge wire protocols with the production
 * handler and adapters: duplicates delivered at once to parallel workers (each its own handler instance) while
 * DynamoDB cancels conflicting transactions and throttles hot items, a worker dying between each step, and partial
 * PutEvents failures.
 * Every scenario ends with {@link #assertInvariants}.
 */
class ConfirmationGuaranteesIT {
    private static final Currency EUR = Currency.of("EUR");
    private static final int WORKERS = 6;
    private static final int BLOCK_SIZE = 7;
    private PipelineBackends backends;
    private final Random random = new Random(42);
    private final Context context = Mockito.mock(Context.class);
    /** Every batch result of every handler built by {@link #handler}. */
    private final List<BatchResult> results = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        backends = new PipelineBackends();
    }

    @AfterEach
    void stop() {
        backends.close();
    }

    /**
     * Each hot item is throttled below its demand and every transaction stays in flight a little, so that the workers
     * really meet DynamoDB's contention: in strict mode every order's transaction writes the counter (2 units), in
     * block mode the counter takes one ADD per block of {@value #BLOCK_SIZE} orders and the simultaneous copies of an
     * order race to put it (no transaction is left to hold anything).
     */
    private static Contention contentionFor(String mode) {
        return "strict".equals(mode) ? new Contention(Duration.ofMillis(1), 30) : new Contention(Duration.ofMillis(4), 4);
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"strict", "block"})
    void handleRequest_whenEveryOrderIsDeliveredThreeTimesAtOnceToSixParallelWorkers_eachOrderGetsExactlyOneUniqueNumber(String mode)
            throws Exception {
        backends.close();
        backends = new PipelineBackends(contentionFor(mode));
        List<PendingOrder> orders = orders(240);
        // the three copies of each group of ten orders are consecutive batches, so three workers handle them at once
        List<SQSEvent.SQSMessage> deliveries = new ArrayList<>();
        for (List<PendingOrder> group : batches(orders, 10)) {
            for (int copy = 0; copy < 3; copy++) {
                group.forEach(o -> deliveries.add(message(o)));
            }
        }

        ParallelWorkers.Outcome outcome = new ParallelWorkers(WORKERS, 10, 5, () -> handler(mode))
                .run(deliveries, Duration.ofMinutes(5));

        int confirmed = results.stream().mapToInt(BatchResult::confirmed).sum();
        int duplicates = results.stream().mapToInt(BatchResult::duplicateDeliveries).sum();
        System.out.printf("guarantees (%s, %d workers): %d orders, %d deliveries in %d batches; DynamoDB answered %s "
                        + "(the endpoint counted %s)%n", mode, WORKERS, orders.size(), deliveries.size(), outcome.batches(),
                backends.contention, backends.endpointCounts());
        assertThat(outcome.deadLetters()).as("dead-lettered messages").isEmpty();
        assertThat(confirmed).as("each order confirmed once").isEqualTo(orders.size());
        assertThat(duplicates).as("every other delivery recognised as a duplicate").isEqualTo(2 * orders.size());
        assertInvariants(orders, mode);
        backends.requireContentionMet(mode);
    }

    /**
     * A switch of numbering mode while instances of both still run: strict claims "counter + 1 if the counter still
     * reads what I saw", block reservations {@code ADD} a range to the same counter; each write owns the stretch it
     * moved the counter across, so the numbers stay disjoint although block-mode orders write no guard.
     */
    @Test
    void handleRequest_whenStrictAndBlockWorkersShareOneTableAtOnce_everyNumberStillGoesToOneOrder() throws Exception {
        backends.close();
        backends = new PipelineBackends(Contention.NONE);
        List<PendingOrder> orders = orders(240);
        List<SQSEvent.SQSMessage> deliveries = new ArrayList<>();
        for (List<PendingOrder> group : batches(orders, 10)) {
            for (int copy = 0; copy < 2; copy++) {
                group.forEach(o -> deliveries.add(message(o)));
            }
        }
        AtomicInteger containers = new AtomicInteger();

        ParallelWorkers.Outcome outcome = new ParallelWorkers(WORKERS, 10, 5,
                () -> handler(containers.getAndIncrement() % 2 == 0 ? "strict" : "block")).run(deliveries, Duration.ofMinutes(5));

        assertThat(outcome.deadLetters()).as("dead-lettered messages").isEmpty();
        assertInvariants(orders, "mixed");
        // strict-mode orders are the ones with a guard; the rest were stored by block-mode workers
        Map<String, Map<String, AttributeValue>> items = backends.scanTable();
        List<Long> strict = new ArrayList<>();
        List<Long> block = new ArrayList<>();
        items.values().stream().filter(i -> i.get(OrdersTable.KIND).s().equals("ORDER")).forEach(i -> {
            long n = Long.parseLong(i.get(OrdersTable.ORDER_NUMBER).n());
            (items.containsKey(OrdersTable.numberKey(n)) ? strict : block).add(n);
        });
        long lowestStrict = strict.stream().mapToLong(Long::longValue).min().orElse(0);
        long highestStrict = strict.stream().mapToLong(Long::longValue).max().orElse(0);
        long blockBetweenStrict = block.stream().filter(n -> n > lowestStrict && n < highestStrict).count();
        System.out.printf("mixed modes (%d workers): %d orders stored by strict workers, %d by block workers, %d block "
                + "numbers reserved between strict ones%n", WORKERS, strict.size(), block.size(), blockBetweenStrict);
        assertThat(blockBetweenStrict).as("block ranges reserved between strict claims: both modes moved one counter in turn")
                .isPositive();
    }

    enum Crash { AFTER_CLAIM, AFTER_STORE, AFTER_PUBLISH }

    @ParameterizedTest(name = "{0} mode, worker dies {1}")
    @CsvSource({"strict,AFTER_CLAIM", "strict,AFTER_STORE", "strict,AFTER_PUBLISH",
                "block,AFTER_CLAIM", "block,AFTER_STORE", "block,AFTER_PUBLISH"})
    void handleRequest_whenWorkerDiesMidBatchAndTheBatchIsRedeliveredToAFreshWorker_invariantsHold(String mode, Crash crash) {
        List<PendingOrder> orders = orders(10);
        SQSEvent batch = event(orders.stream().map(this::message).toList());

        // the 4th order of the batch kills the worker at the chosen step; SQS then redelivers the whole batch
        ConfirmationHandler dying = crashingWorker(mode, crash, orders.get(3).orderId());
        assertThatThrownBy(() -> dying.handleRequest(batch, context)).isInstanceOf(SimulatedCrash.class);

        SQSBatchResponse retry = handler(mode).handleRequest(batch, context);

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertInvariants(orders, mode);
    }

    @Test
    void handleRequest_whenPutEventsFailsOneEntryOnEveryAttempt_onlyThatMessageIsRetriedAndItsRedeliveryPublishes() {
        List<PendingOrder> orders = orders(10);
        List<SQSEvent.SQSMessage> batch = orders.stream().map(this::message).toList();
        assumeTrue(backends.embedded(), "injects PutEvents failures into the embedded EventBridge endpoint");
        // every entry fails on all attempts but the last, where only the first entry fails again
        int attempts = EventBridgeOrderPublisher.MAX_ATTEMPTS;
        backends.eventBridge.failNextEntries(10 * (attempts - 1) + 1, "InternalFailure", "injected");

        SQSBatchResponse first = handler("strict").handleRequest(event(batch), context);

        assertThat(first.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(batch.get(0).getMessageId());
        assertThat(results.get(0).publishRetries()).as("entries sent again").isEqualTo(10 * (attempts - 1));
        assertThat(results.get(0).confirmed()).isEqualTo(10);

        SQSBatchResponse redelivery = handler("strict").handleRequest(event(List.of(batch.get(0))), context);

        assertThat(redelivery.getBatchItemFailures()).isEmpty();
        assertThat(results.get(1).duplicateDeliveries()).isEqualTo(1);
        assertInvariants(orders, "strict");
    }

    @Test
    void handleRequest_whenPutEventsIsThrottledOnce_theClientRetriesAndEveryEventIsDeliveredOnce() {
        assumeTrue(backends.embedded(), "injects PutEvents throttling into the embedded EventBridge endpoint");
        List<PendingOrder> orders = orders(10);
        backends.eventBridge.failNextCalls(1, 400, "ThrottlingException");

        SQSBatchResponse result = handler("strict").handleRequest(event(orders.stream().map(this::message).toList()), context);

        assertThat(result.getBatchItemFailures()).isEmpty();
        List<JsonNode> events = assertInvariants(orders, "strict");
        assertThat(events).hasSize(orders.size());
    }

    @Test
    void handleRequest_whenOneMessageIsPoison_itIsReportedAndTheRestOfTheBatchIsConfirmed() {
        List<PendingOrder> orders = orders(5);
        List<SQSEvent.SQSMessage> batch = new ArrayList<>(orders.stream().map(this::message).toList());
        batch.add(2, ParallelWorkers.message("poison-1", "{\"messageVersion\":1,\"orderId\":\"nope\""));
        batch.add(4, ParallelWorkers.message("poison-2", OrderMessageJson.write(orders.get(0)).replace("\"EUR\"", "\"XYZ\"")));

        SQSBatchResponse result = handler("strict").handleRequest(event(batch), context);

        assertThat(result.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder("poison-1", "poison-2");
        assertThat(results.get(0).poisonMessages()).isEqualTo(2);
        assertInvariants(orders, "strict");
    }

    @Test
    void handleRequest_whenAnOrderIdArrivesAgainWithDifferentContent_theStoredOrderIsKeptAndTheMessageIsNotRetried() {
        PendingOrder original = orders(1).get(0);
        handler("strict").handleRequest(event(List.of(message(original))), context);
        PendingOrder reused = new PendingOrder(original.orderId(), Instant.now(), submission("someone-else", 9));

        SQSBatchResponse result = handler("strict").handleRequest(event(List.of(message(reused))), context);

        assertThat(result.getBatchItemFailures()).isEmpty();
        assertThat(results.get(1).conflicts()).isEqualTo(1);
        Optional<ConfirmedOrder> stored = backends.store().findConfirmed(original.orderId());
        assertThat(stored).isPresent();
        assertThat(stored.get().order().submission()).isEqualTo(original.submission());
        assertInvariants(List.of(original), "strict");
    }

    // ---- invariants ------------------------------------------------------------------------------------------

    /**
     * One stored order per orderId with one number, and numbers unique, both read from the order items themselves;
     * in strict mode a guard for each number naming its order and 1..n without gaps, in block mode no guard at all
     * (a mixed run: every guard names the order stored with its number); every order has at least one OrderConfirmed,
     * all copies identical to the stored order and valid against the v1 schema. Returns the delivered events.
     */
    private List<JsonNode> assertInvariants(List<PendingOrder> orders, String mode) {
        Map<String, Map<String, AttributeValue>> items = backends.scanTable();
        Map<String, Long> numberByOrder = new HashMap<>();
        Map<Long, String> orderByNumber = new HashMap<>();
        Map<Long, String> guards = new HashMap<>();
        for (Map<String, AttributeValue> item : items.values()) {
            String kind = item.get(OrdersTable.KIND).s();
            if (kind.equals("ORDER")) {
                long n = Long.parseLong(item.get(OrdersTable.ORDER_NUMBER).n());
                assertThat(numberByOrder.put(item.get(OrdersTable.ORDER_ID).s(), n)).as("one item per order").isNull();
                assertThat(orderByNumber.put(n, item.get(OrdersTable.ORDER_ID).s())).as("number %d given twice", n).isNull();
            } else if (kind.equals("NUMBER")) {
                guards.put(Long.parseLong(item.get(OrdersTable.PK).s().substring("NUMBER#".length())), item.get(OrdersTable.ORDER_ID).s());
            }
        }
        Set<String> expected = new HashSet<>();
        orders.forEach(o -> expected.add(o.orderId().value()));
        assertThat(numberByOrder.keySet()).as("every order stored exactly once, nothing else").isEqualTo(expected);
        switch (mode) {
            case "strict" -> assertThat(guards).as("one guard per number, naming its order; none without an order")
                    .isEqualTo(orderByNumber);
            case "block" -> assertThat(guards).as("block mode writes no number guards").isEmpty();
            default -> assertThat(orderByNumber).as("every guard names the order stored with its number").containsAllEntriesOf(guards);
        }
        if (mode.equals("strict")) {
            assertThat(orderByNumber.keySet()).as("strict mode has no gaps")
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, orders.size()).boxed().toList());
        }

        List<JsonNode> events = backends.drainSubscriber();
        JsonSchema schema = schema();
        Map<String, List<JsonNode>> byOrder = new HashMap<>();
        for (JsonNode envelope : events) {
            assertThat(envelope.get("detail-type").asText()).isEqualTo(OrderConfirmed.DETAIL_TYPE);
            assertThat(envelope.get("source").asText()).isEqualTo(PipelineBackends.SOURCE);
            JsonNode detail = envelope.get("detail");
            assertThat(schema.validate(detail)).as("event matches the v1 schema").isEmpty();
            byOrder.computeIfAbsent(detail.get("orderId").asText(), k -> new ArrayList<>()).add(detail);
        }
        assertThat(byOrder.keySet()).as("every confirmed order has its OrderConfirmed").isEqualTo(expected);
        byOrder.forEach((orderId, copies) -> {
            String number = new dev.orderpipeline.domain.model.OrderNumber(numberByOrder.get(orderId)).toString();
            for (JsonNode copy : copies) {
                assertThat(copy.get("eventId").asText()).isEqualTo(OrderConfirmed.eventIdFor(new OrderId(orderId)));
                assertThat(copy.get("orderNumber").asText()).isEqualTo(number);
                assertThat(copy).as("every copy of one order's event is identical").isEqualTo(copies.get(0));
            }
        });
        return events;
    }

    private static JsonSchema schema() {
        try (InputStream in = OrderConfirmedJson.class.getResourceAsStream(OrderConfirmedJson.SCHEMA_RESOURCE)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- workers and faults ------------------------------------------------------------------------------------

    /** A fresh handler instance, wired as in Lambda: a new container. */
    private ConfirmationHandler handler(String mode) {
        return backends.handler(mode, BLOCK_SIZE, results::add);
    }

    /** Stands for the process dying: an Error, so no catch for RuntimeException in the code under test sees it. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String step) {
            super("worker died " + step);
        }
    }

    private ConfirmationHandler crashingWorker(String mode, Crash crash, OrderId victim) {
        OrderStore realStore = backends.store();
        OrderNumberAllocator realAllocator = backends.allocator(mode);
        EventPublisher realPublisher = backends.publisher();
        ThreadLocal<OrderId> current = new ThreadLocal<>();
        OrderStore store = new OrderStore() {
            @Override
            public SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim) {
                SaveOutcome outcome = realStore.saveNew(order, claim);
                if (crash == Crash.AFTER_STORE && order.orderId().equals(victim)) {
                    throw new SimulatedCrash("after storing " + victim);
                }
                return outcome;
            }

            @Override
            public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
                return realStore.findConfirmed(orderId);
            }
        };
        AtomicInteger claims = new AtomicInteger();
        OrderNumberAllocator allocator = new OrderNumberAllocator() {
            @Override
            public NumberClaim claim() {
                NumberClaim claim = realAllocator.claim();
                // orders are handled in batch order, so the 4th claim belongs to the victim
                if (crash == Crash.AFTER_CLAIM && claims.incrementAndGet() == 4) {
                    throw new SimulatedCrash("after claiming " + claim.number());
                }
                return claim;
            }

            @Override
            public void settle(NumberClaim claim, SaveOutcome outcome) {
                realAllocator.settle(claim, outcome);
            }
        };
        EventPublisher publisher = events -> {
            EventPublisher.PublishResult result = realPublisher.publish(events);
            if (crash == Crash.AFTER_PUBLISH) {
                throw new SimulatedCrash("after publishing, before the batch response reached SQS");
            }
            return result;
        };
        return new ConfirmationHandler(new ConfirmOrders(store, allocator, publisher, Clock.systemUTC()), results::add);
    }

    // ---- test data -----------------------------------------------------------------------------------------------

    private List<PendingOrder> orders(int count) {
        List<PendingOrder> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(new PendingOrder(OrderId.random(), Instant.now(), submission("customer-" + i, 1 + i % 5)));
        }
        return orders;
    }

    private static OrderSubmission submission(String customer, int quantity) {
        return new OrderSubmission(new CustomerId(customer), EUR,
                List.of(new OrderLine(new Sku("BOOK-" + quantity), quantity, new Money(EUR, new BigDecimal("12.50"))),
                        new OrderLine(new Sku("PEN"), 1, new Money(EUR, new BigDecimal("1.99")))),
                Optional.empty(), Map.of());
    }

    private final AtomicInteger messageIds = new AtomicInteger();

    private SQSEvent.SQSMessage message(PendingOrder order) {
        return ParallelWorkers.message("msg-" + messageIds.incrementAndGet(), OrderMessageJson.write(order));
    }

    private static SQSEvent event(List<SQSEvent.SQSMessage> records) {
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            batches.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return batches;
    }
}
