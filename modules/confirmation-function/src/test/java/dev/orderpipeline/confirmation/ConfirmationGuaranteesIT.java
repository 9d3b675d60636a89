package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
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
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import dev.orderpipeline.domain.model.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The confirmation guarantees, proven against real DynamoDB and EventBridge wire protocols with the production
 * adapters: duplicates and concurrency, a worker dying between each step, and partial PutEvents failures.
 * Every scenario ends with {@link #assertInvariants}.
 */
class ConfirmationGuaranteesIT {
    private static final Currency EUR = Currency.of("EUR");
    private PipelineBackends backends;
    private final Random random = new Random(42);

    @BeforeEach
    void start() {
        backends = new PipelineBackends();
    }

    @AfterEach
    void stop() {
        backends.close();
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"strict", "block"})
    void confirm_whenEveryOrderIsDeliveredThreeTimesToSixConcurrentWorkers_eachOrderGetsExactlyOneUniqueNumber(String mode)
            throws Exception {
        List<PendingOrder> orders = orders(240);
        List<QueuedOrder> deliveries = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            for (PendingOrder o : orders) {
                deliveries.add(message(o));
            }
        }
        Collections.shuffle(deliveries, random);

        ExecutorService workers = Executors.newFixedThreadPool(6);
        List<ConfirmOrders> containers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            containers.add(worker(mode));
        }
        // SQS semantics: whatever a batch reports failed comes back in a later receive, until nothing fails
        int confirmed = 0;
        int duplicates = 0;
        int rounds = 0;
        List<QueuedOrder> pending = deliveries;
        while (!pending.isEmpty()) {
            assertThat(++rounds).as("messages still failing after redelivery rounds: %s", pending).isLessThanOrEqualTo(5);
            List<Future<BatchResult>> results = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (List<QueuedOrder> batch : batches(pending, 10)) {
                ConfirmOrders container = containers.get(next.getAndIncrement() % containers.size());
                results.add(workers.submit(() -> container.confirm(batch)));
            }
            Set<String> failed = new HashSet<>();
            for (Future<BatchResult> r : results) {
                failed.addAll(r.get().failedMessageIds());
                confirmed += r.get().confirmed();
                duplicates += r.get().duplicateDeliveries();
            }
            pending = pending.stream().filter(m -> failed.contains(m.messageId())).toList();
        }
        workers.shutdown();

        assertThat(confirmed).as("each order confirmed once").isEqualTo(orders.size());
        assertThat(duplicates).as("every other delivery recognised as a duplicate").isEqualTo(2 * orders.size());
        assertInvariants(orders, mode);
    }

    enum Crash { AFTER_CLAIM, AFTER_STORE, AFTER_PUBLISH }

    @ParameterizedTest(name = "{0} mode, worker dies {1}")
    @CsvSource({"strict,AFTER_CLAIM", "strict,AFTER_STORE", "strict,AFTER_PUBLISH",
                "block,AFTER_CLAIM", "block,AFTER_STORE", "block,AFTER_PUBLISH"})
    void confirm_whenWorkerDiesMidBatchAndTheBatchIsRedelivered_invariantsHold(String mode, Crash crash) {
        List<PendingOrder> orders = orders(10);
        List<QueuedOrder> batch = orders.stream().map(this::message).toList();

        // the 4th order of the batch kills the worker at the chosen step; SQS then redelivers the whole batch
        ConfirmOrders dying = crashingWorker(mode, crash, orders.get(3).orderId());
        assertThatThrownBy(() -> dying.confirm(batch)).isInstanceOf(SimulatedCrash.class);

        BatchResult retry = worker(mode).confirm(batch);

        assertThat(retry.failedMessageIds()).isEmpty();
        assertInvariants(orders, mode);
    }

    @Test
    void confirm_whenPutEventsFailsOneEntryOnEveryAttempt_onlyThatMessageIsRetriedAndItsRedeliveryPublishes() {
        List<PendingOrder> orders = orders(10);
        List<QueuedOrder> batch = orders.stream().map(this::message).toList();
        // every entry fails on all attempts but the last, where only the first entry fails again
        int attempts = EventBridgeOrderPublisher.MAX_ATTEMPTS;
        backends.eventBridge.failNextEntries(10 * (attempts - 1) + 1, "InternalFailure", "injected");

        BatchResult first = worker("strict").confirm(batch);

        assertThat(first.failedMessageIds()).containsExactly(batch.get(0).messageId());
        assertThat(first.publishRetries()).as("entries sent again").isEqualTo(10 * (attempts - 1));
        assertThat(first.confirmed()).isEqualTo(10);

        BatchResult redelivery = worker("strict").confirm(List.of(batch.get(0)));

        assertThat(redelivery.failedMessageIds()).isEmpty();
        assertThat(redelivery.duplicateDeliveries()).isEqualTo(1);
        assertInvariants(orders, "strict");
    }

    @Test
    void confirm_whenPutEventsIsThrottledOnce_theClientRetriesAndEveryEventIsDeliveredOnce() {
        List<PendingOrder> orders = orders(10);
        backends.eventBridge.failNextCalls(1, 400, "ThrottlingException");

        BatchResult result = worker("strict").confirm(orders.stream().map(this::message).toList());

        assertThat(result.failedMessageIds()).isEmpty();
        List<JsonNode> events = assertInvariants(orders, "strict");
        assertThat(events).hasSize(orders.size());
    }

    @Test
    void confirm_whenOneMessageIsPoison_itIsReportedAndTheRestOfTheBatchIsConfirmed() {
        List<PendingOrder> orders = orders(5);
        List<QueuedOrder> batch = new ArrayList<>(orders.stream().map(this::message).toList());
        batch.add(2, OrderMessageJson.toQueuedOrder("poison-1", "{\"messageVersion\":1,\"orderId\":\"nope\""));
        batch.add(4, OrderMessageJson.toQueuedOrder("poison-2", OrderMessageJson.write(orders.get(0)).replace("\"EUR\"", "\"XYZ\"")));

        BatchResult result = worker("strict").confirm(batch);

        assertThat(result.failedMessageIds()).containsExactlyInAnyOrder("poison-1", "poison-2");
        assertThat(result.poisonMessages()).isEqualTo(2);
        assertInvariants(orders, "strict");
    }

    @Test
    void confirm_whenAnOrderIdArrivesAgainWithDifferentContent_theStoredOrderIsKeptAndTheMessageIsNotRetried() {
        PendingOrder original = orders(1).get(0);
        worker("strict").confirm(List.of(message(original)));
        PendingOrder reused = new PendingOrder(original.orderId(), Instant.now(), submission("someone-else", 9));

        BatchResult result = worker("strict").confirm(List.of(message(reused)));

        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(result.conflicts()).isEqualTo(1);
        Optional<ConfirmedOrder> stored = backends.store().findConfirmed(original.orderId());
        assertThat(stored).isPresent();
        assertThat(stored.get().order().submission()).isEqualTo(original.submission());
        assertInvariants(List.of(original), "strict");
    }

    // ---- invariants ------------------------------------------------------------------------------------------

    /**
     * One stored order per orderId with one number; numbers unique and guarded; in strict mode 1..n without gaps;
     * every order has at least one OrderConfirmed, all copies identical to the stored order and valid against the
     * v1 schema. Returns the delivered events.
     */
    private List<JsonNode> assertInvariants(List<PendingOrder> orders, String mode) {
        Map<String, Map<String, AttributeValue>> items = backends.scanTable();
        Map<String, Long> numberByOrder = new HashMap<>();
        Map<Long, String> orderByNumber = new HashMap<>();
        for (Map<String, AttributeValue> item : items.values()) {
            String kind = item.get(OrdersTable.KIND).s();
            if (kind.equals("ORDER")) {
                long n = Long.parseLong(item.get(OrdersTable.ORDER_NUMBER).n());
                assertThat(numberByOrder.put(item.get(OrdersTable.ORDER_ID).s(), n)).as("one item per order").isNull();
                assertThat(orderByNumber.put(n, item.get(OrdersTable.ORDER_ID).s())).as("number %d given twice", n).isNull();
            }
        }
        Set<String> expected = new HashSet<>();
        orders.forEach(o -> expected.add(o.orderId().value()));
        assertThat(numberByOrder.keySet()).as("every order stored exactly once, nothing else").isEqualTo(expected);
        for (Map.Entry<Long, String> e : orderByNumber.entrySet()) {
            Map<String, AttributeValue> guard = items.get(OrdersTable.numberKey(e.getKey()));
            assertThat(guard).as("number guard for %d", e.getKey()).isNotNull();
            assertThat(guard.get(OrdersTable.ORDER_ID).s()).isEqualTo(e.getValue());
        }
        long guards = items.keySet().stream().filter(k -> k.startsWith("NUMBER#")).count();
        assertThat(guards).as("no number taken without an order").isEqualTo(orders.size());
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

    private ConfirmOrders worker(String mode) {
        return new ConfirmOrders(backends.store(), backends.allocator(mode), backends.publisher(), Clock.systemUTC());
    }

    /** Stands for the process dying: an Error, so no catch for RuntimeException in the code under test sees it. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String step) {
            super("worker died " + step);
        }
    }

    private ConfirmOrders crashingWorker(String mode, Crash crash, OrderId victim) {
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
        return new ConfirmOrders(store, allocator, publisher, Clock.systemUTC());
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

    private QueuedOrder message(PendingOrder order) {
        return OrderMessageJson.toQueuedOrder("msg-" + messageIds.incrementAndGet(), OrderMessageJson.write(order));
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            batches.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return batches;
    }
}
