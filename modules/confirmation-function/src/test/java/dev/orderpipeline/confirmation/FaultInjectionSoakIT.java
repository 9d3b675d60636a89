package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.aws.StrictNumberAllocator;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.json.OrderMessageJson;
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
import dev.orderpipeline.domain.port.SaveOutcome;
import dev.orderpipeline.emulator.dynamodb.Contention;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;

/**
 * Fault-injection soak of the confirmation stage: thousands of deliveries (every order delivered more than once, in
 * shuffled batches, to {@value #WORKERS} workers running in parallel, each its own handler instance, a dead one
 * replaced by a fresh instance) against a DynamoDB endpoint that really cancels conflicting transactions and throttles
 * the hot counter, while faults are injected at the AWS-call boundary by an SDK interceptor
 * around the real clients — DynamoDB throttling, transaction conflicts, responses lost after the write was applied
 * (a call that timed out after DynamoDB did the work; in block mode also one the SDK retries by itself), EventBridge throttling and per-entry failures — and workers die
 * after claiming a number or after publishing, before SQS hears of it. SQS semantics are reproduced: a failed message
 * comes back, and after {@value #MAX_RECEIVE_COUNT} receives goes to a dead-letter list; some processed messages are
 * delivered again anyway. Seeded ({@code -Dsoak.seed}: orders, faults and deaths; the interleaving of the parallel
 * workers is not reproducible); {@code -Dsoak.orders} sizes it (default small
 * for {@code ./mvnw verify}; docs/soak.md has the large command).
 *
 * <p>Afterwards: every order is either confirmed exactly once or in the dead-letter list with its body intact; numbers
 * are unique; every confirmed order has its event, all copies identical; replaying the dead letters (faults off)
 * confirms the rest exactly once. One summary line is printed.
 */
class FaultInjectionSoakIT {
    private static final int MAX_RECEIVE_COUNT = 3;
    private static final int WORKERS = 4;
    private static final Currency EUR = Currency.of("EUR");

    /** Thrown to stand for a worker process dying: an Error, so no catch for RuntimeException sees it. */
    static final class WorkerDied extends Error {
        WorkerDied(String where) {
            super("worker died " + where);
        }
    }

    @ParameterizedTest(name = "{0} numbering")
    @ValueSource(strings = {"strict", "block"})
    void soak_whenFaultsAreInjectedEverywhere_noOrderIsLostOrNumberedTwiceAndNoEventGoesMissing(String mode) throws Exception {
        int orderCount = Integer.getInteger("soak.orders", 400);
        long seed = Long.getLong("soak.seed", 20261126L);
        Random random = new Random(seed);
        Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

        // the hot item is throttled below what the workers ask of it even on a slow machine (strict: every order writes
        // the counter, 2 units; block: one ADD per block, and an order's copies race for its put), and transactions
        // (strict mode's) stay in flight long enough to collide
        try (PipelineBackends backends = new PipelineBackends("strict".equals(mode)
                ? new Contention(Duration.ofMillis(1), 20) : new Contention(Duration.ofMillis(6), 6))) {
            FaultInterceptor faults = new FaultInterceptor(mode, new Random(seed + 1), injected);
            AwsClients faulty = backends.clients().withInterceptors(List.of(faults));
            try (DynamoDbClient dynamoDb = faulty.build(DynamoDbClient.builder());
                 EventBridgeClient eventBridge = faulty.build(EventBridgeClient.builder())) {

                List<PendingOrder> orders = orders(orderCount);
                // the copies of an order (client retries with the same Idempotency-Key) arrive close together, in
                // different batches that parallel workers take at the same time: each group of ten orders is followed
                // by its second copies, then its third (the group itself is in random order)
                List<SQSEvent.SQSMessage> queue = new ArrayList<>();
                int messageIds = 0;
                List<PendingOrder> shuffled = new ArrayList<>(orders);
                Collections.shuffle(shuffled, random);
                for (int from = 0; from < shuffled.size(); from += 10) {
                    List<PendingOrder> group = shuffled.subList(from, Math.min(shuffled.size(), from + 10));
                    int[] copies = group.stream().mapToInt(o -> 1 + random.nextInt(3)).toArray();
                    for (int copy = 0; copy < 3; copy++) {
                        List<SQSEvent.SQSMessage> segment = new ArrayList<>();
                        for (int i = 0; i < group.size(); i++) {
                            if (copy < copies[i]) {
                                segment.add(ParallelWorkers.message("m-" + (++messageIds), OrderMessageJson.write(group.get(i))));
                            }
                        }
                        queue.addAll(segment); // in the same order as the first copies: workers meet them in step
                    }
                }
                int deliveries = queue.size();

                // each worker thread is a container; one that dies is replaced by a fresh one (new allocator, new dice)
                ParallelWorkers.Outcome outcome = new ParallelWorkers(WORKERS, 10, MAX_RECEIVE_COUNT, () -> {
                    ConfirmationHandler handler = worker(mode, backends, dynamoDb, eventBridge, nextSeed(random), injected);
                    return (event, context) -> {
                        maybePartialPutEventsFailure(backends, random, injected);
                        return handler.handleRequest(event, context);
                    };
                }).redeliveringProcessed(new Random(seed + 2), 3).run(queue, Duration.ofMinutes(10));
                List<SQSEvent.SQSMessage> deadLetters = outcome.deadLetters();

                Set<String> deadOrderIds = new HashSet<>();
                for (SQSEvent.SQSMessage m : deadLetters) {
                    PendingOrder intact = OrderMessageJson.read(m.getBody()); // the body survived intact
                    deadOrderIds.add(intact.orderId().value());
                }
                Check beforeReplay = check(backends, mode, orders, deadOrderIds);

                // the operator fixes the cause and replays the dead letters
                faults.enabled = false;
                ConfirmationHandler replayWorker = new ConfirmationHandler(new ConfirmOrders(new DynamoDbOrderStore(dynamoDb, backends.table),
                        allocator(mode, dynamoDb, backends.table), new EventBridgeOrderPublisher(eventBridge, backends.bus, PipelineBackends.SOURCE),
                        Clock.systemUTC()), result -> { });
                for (int i = 0; i < deadLetters.size(); i += 10) {
                    SQSEvent replay = new SQSEvent();
                    replay.setRecords(deadLetters.subList(i, Math.min(deadLetters.size(), i + 10)));
                    assertThat(replayWorker.handleRequest(replay, Mockito.mock(com.amazonaws.services.lambda.runtime.Context.class))
                            .getBatchItemFailures()).as("replayed dead letters confirm cleanly").isEmpty();
                }
                Check afterReplay = check(backends, mode, orders, Set.of());

                System.out.printf("soak (%s, seed %d, %d parallel workers): %d orders, %d deliveries in %d batches, %d worker deaths, "
                                + "injected %s; DynamoDB answered %s; "
                                + "before replay: %d confirmed, %d in DLQ, %d lost, %d double-numbered, %d missing events; "
                                + "after replay: %d confirmed, %d lost, %d double-numbered, %d missing events, %d duplicate events seen by the consumer%n",
                        mode, seed, WORKERS, orders.size(), deliveries, outcome.batches(), outcome.deaths(), new TreeMap<>(injected),
                        backends.contention,
                        beforeReplay.confirmed, deadOrderIds.size(), beforeReplay.lost, beforeReplay.doubleNumbered, beforeReplay.missingEvents,
                        afterReplay.confirmed, afterReplay.lost, afterReplay.doubleNumbered, afterReplay.missingEvents,
                        afterReplay.duplicateEvents); // events accumulate across both checks

                assertThat(injected.values().stream().mapToInt(AtomicInteger::get).sum()).as("faults were injected").isGreaterThan(orderCount / 10);
                assertThat(injected).as("faults on the order's write, including writes applied whose answer was lost")
                        .containsKeys("dynamodb-throttled", "dynamodb-response-lost-after-write");
                if ("block".equals(mode)) {
                    assertThat(injected).as("lost answers of applied puts that the SDK retried by itself")
                            .containsKey("dynamodb-response-lost-after-write-sdk-retried");
                }
                assertThat(outcome.deaths()).as("workers died and were replaced").isPositive();
                backends.requireContentionMet(mode);
                assertThat(beforeReplay.lost).as("orders neither confirmed nor in the DLQ").isZero();
                assertThat(beforeReplay.doubleNumbered).isZero();
                assertThat(beforeReplay.missingEvents).isZero();
                assertThat(afterReplay.confirmed).isEqualTo(orders.size());
                assertThat(afterReplay.lost).isZero();
                assertThat(afterReplay.doubleNumbered).isZero();
                assertThat(afterReplay.missingEvents).isZero();
            }
        }
    }

    private static long nextSeed(Random random) {
        synchronized (random) {
            return random.nextLong();
        }
    }

    private record Check(int confirmed, int lost, int doubleNumbered, int missingEvents, int duplicateEvents) {
    }

    /** Table and subscriber queue against the invariants; drains the subscriber queue (events accumulate across calls). */
    private final Map<String, List<JsonNode>> eventsByOrder = new HashMap<>();

    private Check check(PipelineBackends backends, String mode, List<PendingOrder> orders, Set<String> deadOrderIds) {
        Map<String, Long> numberByOrder = new HashMap<>();
        Map<Long, String> orderByNumber = new HashMap<>();
        int doubleNumbered = 0;
        for (Map<String, AttributeValue> item : backends.scanTable().values()) {
            if ("ORDER".equals(item.get(OrdersTable.KIND).s())) {
                long n = Long.parseLong(item.get(OrdersTable.ORDER_NUMBER).n());
                String id = item.get(OrdersTable.ORDER_ID).s();
                if (numberByOrder.put(id, n) != null || orderByNumber.put(n, id) != null) {
                    doubleNumbered++;
                }
            }
        }
        // numbers are checked on the order items above; guards exist in strict mode only, one per stored order
        long guards = backends.scanTable().keySet().stream().filter(k -> k.startsWith("NUMBER#")).count();
        long expectedGuards = "strict".equals(mode) ? numberByOrder.size() : 0;
        if (guards != expectedGuards) {
            doubleNumbered += (int) Math.abs(guards - expectedGuards);
        }
        for (JsonNode envelope : backends.drainSubscriber()) {
            eventsByOrder.computeIfAbsent(envelope.get("detail").get("orderId").asText(), k -> new ArrayList<>()).add(envelope.get("detail"));
        }
        int lost = 0;
        int missingEvents = 0;
        int duplicateEvents = 0;
        for (PendingOrder o : orders) {
            String id = o.orderId().value();
            Long number = numberByOrder.get(id);
            List<JsonNode> events = eventsByOrder.getOrDefault(id, List.of());
            if (number == null) {
                if (!deadOrderIds.contains(id)) {
                    lost++;
                }
                continue;
            }
            if (events.isEmpty() && !deadOrderIds.contains(id)) {
                missingEvents++;
            }
            for (JsonNode e : events) {
                if (!e.get("eventId").asText().equals(OrderConfirmed.eventIdFor(o.orderId()))
                        || !e.get("orderNumber").asText().equals(new dev.orderpipeline.domain.model.OrderNumber(number).toString())
                        || !e.equals(events.get(0))) {
                    doubleNumbered++;
                }
            }
            duplicateEvents += Math.max(0, events.size() - 1);
        }
        return new Check(numberByOrder.size(), lost, doubleNumbered, missingEvents, duplicateEvents);
    }

    private static void maybePartialPutEventsFailure(PipelineBackends backends, Random random, Map<String, AtomicInteger> injected) {
        int roll;
        int n;
        boolean throttling;
        synchronized (random) {
            roll = random.nextInt(100);
            n = 1 + random.nextInt(4);
            throttling = random.nextBoolean();
        }
        if (roll < 8 && backends.embedded()) {
            backends.eventBridge.failNextEntries(n, throttling ? "ThrottlingException" : "InternalFailure", "injected");
            injected.computeIfAbsent("putevents-entry-failure", k -> new AtomicInteger()).addAndGet(n);
        }
    }

    /** A container: its own allocator, and its own dice for dying after a claim, before or after publishing. */
    private static ConfirmationHandler worker(String mode, PipelineBackends backends, DynamoDbClient dynamoDb, EventBridgeClient eventBridge,
                                              long dieSeed, Map<String, AtomicInteger> injected) {
        OrderNumberAllocator real = allocator(mode, dynamoDb, backends.table);
        Random die = new Random(dieSeed);
        OrderNumberAllocator allocator = new OrderNumberAllocator() {
            @Override
            public NumberClaim claim() {
                NumberClaim claim = real.claim();
                if (die.nextInt(1000) < 5) {
                    injected.computeIfAbsent("death-after-claim", k -> new AtomicInteger()).incrementAndGet();
                    throw new WorkerDied("after claiming " + claim.number());
                }
                return claim;
            }

            @Override
            public void settle(NumberClaim claim, SaveOutcome outcome) {
                real.settle(claim, outcome);
            }
        };
        EventPublisher realPublisher = new EventBridgeOrderPublisher(eventBridge, backends.bus, PipelineBackends.SOURCE);
        EventPublisher publisher = events -> {
            if (die.nextInt(1000) < 15) {
                injected.computeIfAbsent("death-after-store-before-publish", k -> new AtomicInteger()).incrementAndGet();
                throw new WorkerDied("after storing, before publishing");
            }
            EventPublisher.PublishResult result = realPublisher.publish(events);
            if (die.nextInt(1000) < 15) {
                injected.computeIfAbsent("death-after-publish-before-delete", k -> new AtomicInteger()).incrementAndGet();
                throw new WorkerDied("after publishing, before SQS deleted the batch");
            }
            return result;
        };
        return new ConfirmationHandler(new ConfirmOrders(new DynamoDbOrderStore(dynamoDb, backends.table), allocator, publisher,
                Clock.systemUTC()), result -> { });
    }

    private static OrderNumberAllocator allocator(String mode, DynamoDbClient dynamoDb, String table) {
        return "block".equals(mode) ? new BlockNumberAllocator(dynamoDb, table, 5) : new StrictNumberAllocator(dynamoDb, table);
    }

    /**
     * Faults at the AWS-call boundary, on the real SDK clients, on the call that stores an order ({@code
     * TransactWriteItems} in strict mode, the conditional {@code PutItem} in block mode): throttling and conflicts
     * before it is sent (nothing written), and an answer lost after DynamoDB applied it. In block mode half the lost
     * answers are retryable, so the SDK itself sends the put again, which then fails its condition on the order its
     * own first attempt stored: the store must see that the number is used, or the allocator would hand it out again.
     */
    static final class FaultInterceptor implements ExecutionInterceptor {
        private final String orderWrite;
        private final boolean block;
        private final Random random;
        private final Map<String, AtomicInteger> injected;
        volatile boolean enabled = true;

        FaultInterceptor(String mode, Random random, Map<String, AtomicInteger> injected) {
            this.block = "block".equals(mode);
            this.orderWrite = block ? "PutItem" : "TransactWriteItems";
            this.random = random;
            this.injected = injected;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (!enabled) {
                return;
            }
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            int roll;
            synchronized (random) {
                roll = random.nextInt(1000);
            }
            if (op.equals(orderWrite) && roll < 40) {
                count("dynamodb-throttled");
                throw ProvisionedThroughputExceededException.builder().message("injected throttling").statusCode(400)
                        .awsErrorDetails(dynamoDbError("ProvisionedThroughputExceededException")).build();
            }
            if (op.equals(orderWrite) && roll < 70) {
                count("dynamodb-transaction-conflict");
                throw block
                        ? TransactionConflictException.builder().message("injected conflict").statusCode(400)
                                .awsErrorDetails(dynamoDbError("TransactionConflictException")).build()
                        : TransactionCanceledException.builder().message("injected conflict").statusCode(400)
                                .awsErrorDetails(dynamoDbError("TransactionCanceledException"))
                                .cancellationReasons(CancellationReason.builder().code("TransactionConflict").build()).build();
            }
            if (op.equals("PutEvents") && roll < 30) {
                count("putevents-throttled");
                throw EventBridgeException.builder().message("injected throttling").statusCode(400).build();
            }
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (!enabled) {
                return;
            }
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            int roll;
            synchronized (random) {
                roll = random.nextInt(1000);
            }
            if (op.equals(orderWrite) && roll < 50 && context.httpResponse().statusCode() == 200) {
                // the write was applied, but the caller never hears: a call that timed out after DynamoDB did the work
                if (block && roll < 25) {
                    count("dynamodb-response-lost-after-write-sdk-retried");
                    throw RetryableException.create("injected: response lost after the write was applied");
                }
                count("dynamodb-response-lost-after-write");
                throw new IllegalStateException("injected: response lost after the write was applied");
            }
        }

        private void count(String kind) {
            injected.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        /** As DynamoDB's answer carries it: the SDK's retry policy reads the error code. */
        private static AwsErrorDetails dynamoDbError(String code) {
            return AwsErrorDetails.builder().errorCode(code).serviceName("DynamoDb").build();
        }
    }

    private static List<PendingOrder> orders(int count) {
        List<PendingOrder> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(new PendingOrder(OrderId.random(), Instant.now(), new OrderSubmission(new CustomerId("soak-" + i), EUR,
                    List.of(new OrderLine(new Sku("SKU-" + (i % 50)), 1 + i % 4, new Money(EUR, new BigDecimal("9.99")))),
                    Optional.empty(), Map.of())));
        }
        return orders;
    }
}
