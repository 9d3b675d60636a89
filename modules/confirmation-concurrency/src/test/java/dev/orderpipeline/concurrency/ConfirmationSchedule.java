package dev.orderpipeline.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.aws.StrictNumberAllocator;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.confirmation.ExploredWorkers;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.Currency;
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
import dev.orderpipeline.emulator.dynamodb.InProcessEngine;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One run of a {@link Scenario}: a fresh orders table in the emulator's engine, one thread per worker, each with
 * its own {@link ConfirmOrders}, allocator and client, then a drain, then every invariant. Fray runs it once per
 * explored schedule; the schedule decides how the workers' steps interleave and so which transactions conflict.
 */
final class ConfirmationSchedule {
    static final String TABLE = "orders";
    private static final Instant SUBMITTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:05Z"), ZoneOffset.UTC);
    /** Redeliveries a worker thread makes of its failed messages before they are left to the drain. */
    private static final int ROUNDS = 3;

    /** MIXED: a mode switch in progress, both kinds of worker on one table (even-numbered workers strict). */
    enum NumberMode { STRICT, BLOCK, MIXED }

    /** Where the crashing worker dies; the batch is then redelivered to a fresh worker. */
    enum CrashPoint { NONE, AFTER_CLAIM, AFTER_STORE, AFTER_PUBLISH }

    /**
     * @param deliveries per worker thread, the orders (indexes) of its one batch, duplicates allowed
     * @param crash      where worker 0's first instance dies
     */
    record Scenario(String name, NumberMode mode, int orders, List<List<Integer>> deliveries, CrashPoint crash,
                    EngineDynamoDbClient.Mutation mutation) {
        Scenario withMutation(EngineDynamoDbClient.Mutation planted) {
            return new Scenario(name + "+" + planted, mode, orders, deliveries, crash, planted);
        }
    }

    /** What the explored schedules produced, summed: a guarantee test shows it met what it guards against. */
    static final class Tally {
        int schedules;
        int conflicts;
        int crashes;
        int duplicates;
        int redeliveries;
        int drained;
        /** MIXED: schedules in which one mode's numbers lie between the other's (both moved the counter in turn). */
        int interleaved;

        @Override
        public String toString() {
            return "transaction conflicts " + conflicts + ", worker crashes " + crashes + ", duplicate deliveries "
                    + duplicates + ", redeliveries " + redeliveries + ", messages left to the drain " + drained
                    + (interleaved > 0 ? ", schedules with strict and block numbers interleaved " + interleaved : "");
        }
    }

    /** A worker dying mid-batch (an {@link Error}, so no catch in the use case can swallow it). */
    static final class WorkerCrash extends Error {
        WorkerCrash(CrashPoint point) {
            super("worker crashed " + point, null, false, false);
        }
    }

    /** An invariant did not hold after a schedule. */
    static final class InvariantViolation extends AssertionError {
        InvariantViolation(String message) {
            super(message);
        }
    }

    private final Scenario scenario;
    private final Tally tally;
    private final InProcessEngine engine = new InProcessEngine();
    private final EngineDynamoDbClient.InFlight inFlight = new EngineDynamoDbClient.InFlight();
    private final Bus bus = new Bus();
    private final List<PendingOrder> orders = new ArrayList<>();

    ConfirmationSchedule(Scenario scenario, Tally tally) {
        this.scenario = scenario;
        this.tally = tally;
        ObjectNode create = (ObjectNode) EngineDynamoDbClient.toJson(OrdersTable.createTableRequest(TABLE));
        engine.call("CreateTable", create);
        for (int i = 0; i < scenario.orders(); i++) {
            orders.add(order(i));
        }
    }

    /** The run Fray repeats: workers on their own threads, then the drain, then the invariants. */
    void run() {
        List<Thread> threads = new ArrayList<>();
        List<WorkerThread> workers = new ArrayList<>();
        for (int w = 0; w < scenario.deliveries().size(); w++) {
            List<QueuedOrder> batch = new ArrayList<>();
            for (int index : scenario.deliveries().get(w)) {
                batch.add(OrderMessageJson.toQueuedOrder("w" + w + "-m" + batch.size() + "-order" + index,
                        OrderMessageJson.write(orders.get(index))));
            }
            WorkerThread worker = new WorkerThread(batch, w == 0 ? scenario.crash() : CrashPoint.NONE, strict(w));
            workers.add(worker);
            threads.add(new Thread(worker, "worker-" + w));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        List<QueuedOrder> leftOver = new ArrayList<>();
        for (WorkerThread worker : workers) {
            leftOver.addAll(worker.pending);
            tally.crashes += worker.crashes;
            tally.duplicates += worker.duplicates;
            tally.redeliveries += worker.redeliveries;
        }
        tally.drained += leftOver.size();
        drain(leftOver);
        tally.conflicts += inFlight.conflictCount();
        tally.schedules++;
        checkInvariants();
    }

    /** SQS keeps redelivering what was not done; here one last worker takes it alone, so it must succeed. */
    private void drain(List<QueuedOrder> messages) {
        List<QueuedOrder> pending = messages;
        for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
            pending = confirmAndCheck(worker(CrashPoint.NONE, strict(0)), pending, null);
        }
        if (!pending.isEmpty()) {
            throw new InvariantViolation("messages never done, even by a worker alone: " + ids(pending));
        }
    }

    private final class WorkerThread implements Runnable {
        private final List<QueuedOrder> batch;
        private final CrashPoint crash;
        private final boolean strict;
        private List<QueuedOrder> pending = List.of();
        private int crashes;
        private int duplicates;
        private int redeliveries;

        WorkerThread(List<QueuedOrder> batch, CrashPoint crash, boolean strict) {
            this.batch = batch;
            this.crash = crash;
            this.strict = strict;
        }

        @Override
        public void run() {
            ConfirmOrders instance = worker(crash, strict);
            List<QueuedOrder> messages = batch;
            for (int round = 0; round < ROUNDS && !messages.isEmpty(); round++) {
                if (round > 0) {
                    redeliveries += messages.size();
                }
                int[] duplicateCount = new int[1];
                try {
                    messages = confirmAndCheck(instance, messages, duplicateCount);
                    duplicates += duplicateCount[0];
                } catch (WorkerCrash e) {
                    // the batch is not acknowledged: SQS hands it, whole, to another worker
                    crashes++;
                    instance = worker(CrashPoint.NONE, strict);
                }
            }
            pending = messages;
        }
    }

    /**
     * One delivery of a batch. Every message the worker reports done is checked at that moment: its order must be
     * stored and its event accepted by the bus, since SQS deletes a done message and never delivers it again.
     * Returns the messages to redeliver.
     */
    private List<QueuedOrder> confirmAndCheck(ConfirmOrders worker, List<QueuedOrder> messages, int[] duplicates) {
        BatchResult result = confirm(worker, messages);
        if (duplicates != null) {
            duplicates[0] = result.duplicateDeliveries();
        }
        List<QueuedOrder> failed = new ArrayList<>();
        for (QueuedOrder message : messages) {
            if (result.failedMessageIds().contains(message.messageId())) {
                failed.add(message);
                continue;
            }
            OrderId id = ((QueuedOrder.Readable) message).order().orderId();
            JsonNode stored = storedOrder(id);
            if (stored == null) {
                throw new InvariantViolation("message " + message.messageId() + " reported done but order " + id
                        + " is not stored");
            }
            long number = Long.parseLong(stored.get(OrdersTable.ORDER_NUMBER).get("N").asText());
            if (!bus.has(id, number)) {
                throw new InvariantViolation("message " + message.messageId() + " reported done but OrderConfirmed of "
                        + id + " with number " + number + " was not published");
            }
        }
        return failed;
    }

    /** The one place this tier calls the use case . */
    private static BatchResult confirm(ConfirmOrders worker, List<QueuedOrder> messages) {
        return worker.confirm(messages);
    }

    /** Whether worker thread {@code worker} (and its replacements) numbers in strict mode. */
    private boolean strict(int worker) {
        return scenario.mode() == NumberMode.STRICT || (scenario.mode() == NumberMode.MIXED && worker % 2 == 0);
    }

    /** A fresh worker: its own client, allocator and use case, as a new Lambda container would have. */
    private ConfirmOrders worker(CrashPoint crash, boolean strict) {
        DynamoDbClient client = new EngineDynamoDbClient(engine, inFlight, scenario.mutation());
        OrderNumberAllocator allocator = strict
                ? new StrictNumberAllocator(client, TABLE)
                : new BlockNumberAllocator(client, TABLE, 2);
        OrderStore store = new DynamoDbOrderStore(client, TABLE);
        if (crash == CrashPoint.NONE) {
            return ExploredWorkers.confirmOrders(store, allocator, bus, CLOCK);
        }
        boolean[] crashed = {false};
        OrderNumberAllocator crashingAllocator = new OrderNumberAllocator() {
            @Override
            public NumberClaim claim() {
                NumberClaim claim = allocator.claim();
                crashOnce(crash == CrashPoint.AFTER_CLAIM, crashed, crash);
                return claim;
            }

            @Override
            public void settle(NumberClaim claim, SaveOutcome outcome) {
                allocator.settle(claim, outcome);
            }
        };
        OrderStore crashingStore = new OrderStore() {
            @Override
            public SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim) {
                SaveOutcome outcome = store.saveNew(order, claim);
                crashOnce(crash == CrashPoint.AFTER_STORE && outcome instanceof SaveOutcome.Saved, crashed, crash);
                return outcome;
            }

            @Override
            public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
                return store.findConfirmed(orderId);
            }
        };
        EventPublisher crashingPublisher = events -> {
            EventPublisher.PublishResult result = bus.publish(events);
            crashOnce(crash == CrashPoint.AFTER_PUBLISH, crashed, crash);
            return result;
        };
        return ExploredWorkers.confirmOrders(crashingStore, crashingAllocator, crashingPublisher, CLOCK);
    }

    private static void crashOnce(boolean now, boolean[] crashed, CrashPoint point) {
        if (now && !crashed[0]) {
            crashed[0] = true;
            throw new WorkerCrash(point);
        }
    }

    private JsonNode storedOrder(OrderId id) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("TableName", TABLE);
        request.putObject("Key").putObject(OrdersTable.PK).put("S", OrdersTable.orderKey(id.value()));
        request.put("ConsistentRead", true);
        return engine.call("GetItem", request).get("Item");
    }

    /** After the drain: what a user of the pipeline is promised, checked on the table and the bus. */
    private void checkInvariants() {
        Map<String, Long> numberByOrder = new HashMap<>();
        Map<Long, String> orderByGuard = new HashMap<>();
        long counter = 0;
        ObjectNode scan = JsonNodeFactory.instance.objectNode();
        scan.put("TableName", TABLE);
        for (JsonNode item : engine.call("Scan", scan).get("Items")) {
            String pk = item.get(OrdersTable.PK).get("S").asText();
            if (pk.startsWith("ORDER#")) {
                numberByOrder.put(item.get(OrdersTable.ORDER_ID).get("S").asText(),
                        Long.parseLong(item.get(OrdersTable.ORDER_NUMBER).get("N").asText()));
            } else if (pk.startsWith("NUMBER#")) {
                orderByGuard.put(Long.parseLong(pk.substring("NUMBER#".length())),
                        item.get(OrdersTable.ORDER_ID).get("S").asText());
            } else if (pk.equals(OrdersTable.COUNTER_KEY)) {
                counter = Long.parseLong(item.get(OrdersTable.COUNTER_LAST).get("N").asText());
            }
        }
        List<String> violations = new ArrayList<>();
        for (PendingOrder order : orders) {
            if (!numberByOrder.containsKey(order.orderId().value())) {
                violations.add("delivered order " + order.orderId() + " is not stored");
            }
        }
        Map<Long, String> orderByNumber = new HashMap<>();
        numberByOrder.forEach((order, number) -> {
            String other = orderByNumber.put(number, order);
            if (other != null) {
                violations.add("number " + number + " given to two orders, " + other + " and " + order);
            }
        });
        orderByGuard.forEach((number, order) -> {
            Long stored = numberByOrder.get(order);
            if (!Long.valueOf(number).equals(stored)) {
                violations.add("number " + number + " was taken for order " + order + ", which is stored with "
                        + stored + ": one order, two numbers");
            }
        });
        if (scenario.mode() == NumberMode.MIXED && interleaved(numberByOrder.values(), orderByGuard.keySet())) {
            tally.interleaved++;
        }
        if (scenario.mode() == NumberMode.STRICT) {
            Set<Long> numbers = new TreeSet<>(numberByOrder.values());
            Set<Long> expected = new TreeSet<>();
            for (long n = 1; n <= numberByOrder.size(); n++) {
                expected.add(n);
            }
            if (!numbers.equals(expected) || counter != numberByOrder.size()) {
                violations.add("strict numbering has gaps: numbers " + numbers + ", counter " + counter + " for "
                        + numberByOrder.size() + " orders");
            }
        }
        for (OrderConfirmed event : bus.events()) {
            Long stored = numberByOrder.get(event.orderId().value());
            if (stored == null || stored != event.orderNumber().sequence()) {
                violations.add("OrderConfirmed of " + event.orderId() + " says number " + event.orderNumber().sequence()
                        + " but the order is stored with " + stored);
            }
            if (!event.eventId().equals(OrderConfirmed.eventIdFor(event.orderId()))) {
                violations.add("OrderConfirmed of " + event.orderId() + " has eventId " + event.eventId());
            }
        }
        numberByOrder.forEach((order, number) -> {
            if (!bus.has(new OrderId(order), number)) {
                violations.add("stored order " + order + " has no accepted OrderConfirmed");
            }
        });
        if (!violations.isEmpty()) {
            throw new InvariantViolation(scenario.name() + ": " + violations);
        }
    }

    /** True if a number of one mode lies between two of the other (strict-mode orders are the guarded ones). */
    private static boolean interleaved(java.util.Collection<Long> all, Set<Long> strictNumbers) {
        List<Long> strict = all.stream().filter(strictNumbers::contains).sorted().toList();
        List<Long> block = all.stream().filter(n -> !strictNumbers.contains(n)).sorted().toList();
        return between(block, strict) || between(strict, block);
    }

    private static boolean between(List<Long> inner, List<Long> outer) {
        return !outer.isEmpty() && inner.stream().anyMatch(n -> n > outer.get(0) && n < outer.get(outer.size() - 1));
    }

    private static List<String> ids(List<QueuedOrder> messages) {
        return messages.stream().map(QueuedOrder::messageId).toList();
    }

    /** Orders with fixed ids and contents, so a failing schedule replays on the same data. */
    private static PendingOrder order(int index) {
        Currency eur = Currency.of("EUR");
        OrderSubmission submission = new OrderSubmission(new CustomerId("c-" + index), eur,
                List.of(new OrderLine(new Sku("BOOK-" + index), 1 + index, new Money(eur, new BigDecimal("12.50")))),
                Optional.empty(), Map.of());
        String id = String.format("00000000-0000-4000-8000-%012d", index + 1);
        return new PendingOrder(new OrderId(id), SUBMITTED, submission);
    }

    /** The event bus: accepts every event (EventBridge failures are another tier's subject) and remembers it. */
    private static final class Bus implements EventPublisher {
        private final List<OrderConfirmed> events = new ArrayList<>();

        @Override
        public synchronized PublishResult publish(List<OrderConfirmed> batch) {
            events.addAll(batch);
            return new PublishResult(Set.of(), 0);
        }

        synchronized boolean has(OrderId id, long number) {
            return events.stream().anyMatch(e -> e.orderId().equals(id) && e.orderNumber().sequence() == number);
        }

        synchronized List<OrderConfirmed> events() {
            return List.copyOf(events);
        }
    }
}
