package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.aws.SqsOrderQueue;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.local.TestOrders.TestOrder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Fault-injection soak of the whole local runtime over HTTP: orders are POSTed to the local HTTP API by a few client
 * threads while an SDK interceptor on the two functions' own clients (and only theirs: the event source, the
 * emulators and this test's observer clients see no fault) injects, seeded and reproducibly:
 * <ul>
 *   <li>intake: {@code SendMessage} throttled, failing for a whole "outage" of some orders, or applied with its
 *       response lost (the order is on the queue, intake answers 503); {@code GetItem} (the confirmed-order check)
 *       throttled; {@code PutItem} (the idempotency-key claim) throttled, or applied with its response lost (the key
 *       is claimed, nothing enqueued, intake answers 503 and the retry completes it);</li>
 *   <li>confirmation: the order's write ({@code TransactWriteItems}; in block mode the conditional {@code PutItem})
 *       throttled ({@code ProvisionedThroughputExceeded},
 *       {@code ThrottlingException}; for a few orders on every call until faults are turned off), refused with a
 *       {@code TransactionConflict}, applied with its response lost, or applied and then the worker dies;
 *       {@code PutEvents} throttled, with per-entry failures (for a few orders on every call), applied with its
 *       response lost, or applied and then the worker dies. A dying worker throws an {@link Error}: the event source
 *       leaves its whole batch on the queue.</li>
 * </ul>
 * Clients retry 503 answers with the same {@code Idempotency-Key}, as a careful client does, and resubmit some
 * accepted orders with the same key, at once or later. Fault decisions are a function of the seed, the kind of
 * call, the order it concerns and how many times such a call was already made for that order: with the same seed,
 * the n-th attempt to enqueue, store or publish a given order meets the same fault whatever thread makes it (the
 * totals still vary a little with timing, which decides batches and redeliveries). The invariants hold whatever the
 * timing, and nothing about timing is asserted.
 *
 * <p>Once the order queue is quiet: every order answered 202 (and every order whose message reached the queue at
 * all) is confirmed exactly once, with a number nobody else has, or its message sits intact in the dead-letter queue;
 * nothing else is in the table; resubmissions got the same {@code orderId}; every confirmed order has an
 * {@code OrderConfirmed} on the subscriber queue, all copies identical (same {@code eventId}, same number); no event
 * names an unknown order. Then faults are turned off, the dead-letter queue is replayed the way {@code ./orders dlq
 * replay} does it (an SQS message move task), and the rest must be confirmed exactly once. One summary line is
 * printed; {@code -Dsoak.orders}, {@code -Dsoak.seed} and {@code -Dsoak.numbering} size and vary it (docs/soak.md).
 */
class HttpFaultSoakIT {
    /** Attempts of one submission (the first and its retries after 503), all with the same Idempotency-Key. */
    private static final int ATTEMPTS_PER_SUBMISSION = 4;
    private static final int CLIENT_THREADS = 4;
    /** The client honours Retry-After, scaled down (seconds become tenths of a second) to keep the soak short. */
    private static final long RETRY_AFTER_SCALE_MILLIS = 100;

    /** Thrown to stand for the function instance dying mid-batch: an Error, so no catch for RuntimeException sees it. */
    static final class WorkerDeath extends Error {
        WorkerDeath(String where) {
            super("injected: worker died " + where);
        }
    }

    @Test
    void soak_whenFaultsHitBothFunctionsBehindTheHttpApi_thenEveryAcceptedOrderIsConfirmedOnceOrDeadLetteredIntact() {
        int orderCount = Integer.getInteger("soak.orders", 150);
        long seed = Long.getLong("soak.seed", 20261126L);
        String numbering = System.getProperty("soak.numbering", "strict");
        Faults faults = new Faults(seed);
        LocalSettings settings = LocalSettings.forTests().withNumbering(numbering, 5);

        try (LocalPipeline pipeline = LocalPipeline.startWithFunctionInterceptors(settings,
                List.of(new IntakeFaults(faults)), List.of(new ConfirmationFaults(faults)));
             PipelineClient client = new PipelineClient(pipeline)) {
            List<Submitted> orders = plan(orderCount, seed);
            Http http = new Http(pipeline);
            long started = System.nanoTime();

            // 1. submit over HTTP from a few client threads; some accepted orders are sent again at once, some later
            runConcurrently(orders, o -> {
                http.submit(o, false);
                if (o.resubmit == Resubmit.AT_ONCE && o.accepted()) {
                    http.submit(o, true);
                }
            });
            runConcurrently(orders, o -> {
                if (o.resubmit == Resubmit.LATER && o.accepted()) {
                    http.submit(o, true);
                }
            });

            long submitted = System.nanoTime();

            // 2. wait until the pipeline is quiet: every message handled and deleted, or moved to the DLQ
            Duration quiet = Duration.ofSeconds(120 + orderCount / 10);
            awaitQuiet(client, client.resources().ordersQueueUrl(), quiet, "the order queue drains after the submissions");
            long drained = System.nanoTime();
            long deliveries = pipeline.eventSource().deleted() + pipeline.eventSource().reportedFailures();
            int enqueuedMessages = faults.enqueuedMessages.get();

            // 3. the invariants, with the dead-letter queue as it is
            Observed observed = new Observed(pipeline, client, orders, faults, numbering);
            List<Message> deadLetters = observed.readDeadLetters();
            Check before = observed.check(observed.deadLetterOrderIds);

            // 4. the operator fixes the cause and replays the dead-letter queue; faults stay off from here on
            faults.enabled = false;
            replayDeadLetters(client, deadLetters.size(), quiet);
            Check after = observed.check(Set.of());
            PipelineClient.Depth dlqAfter = client.depth(client.resources().deadLetterQueueUrl());
            long finished = System.nanoTime();

            System.out.printf(Locale.ROOT, "soak (http, %s, seed %d): %d orders, %d HTTP requests (%d answered 202, "
                            + "%d answered 503, %d client timeouts), %d retries after 503, %d resubmissions of accepted "
                            + "orders, %d orders given up after 503s (%d of them enqueued anyway); injected %s; "
                            + "%d deliveries (%d redeliveries); before replay: %d confirmed, %d in DLQ (%d messages; "
                            + "%d orders failed on every attempt), "
                            + "%d lost, %d double-numbered, %d missing events, %d inconsistent events, %d unknown; "
                            + "after replay: %d confirmed, %d in DLQ, %d lost, %d double-numbered, %d missing events, "
                            + "%d inconsistent events, %d unknown, %d duplicate events seen by the subscriber; "
                            + "%.1f s submitting, %.1f s until quiet, %.1f s checking and replaying%n",
                    numbering, seed, orders.size(), http.requests.get(), http.accepted.get(), http.unavailable.get(),
                    http.timeouts.get(), http.retries.get(), http.resubmissions.get(), observed.givenUp(),
                    observed.givenUpButEnqueued(), new TreeMap<>(faults.injectedCounts()), deliveries,
                    deliveries - enqueuedMessages, before.confirmed, observed.deadLetterOrderIds.size(), deadLetters.size(),
                    faults.failingUntilFixed.size(),
                    before.lost, before.doubleNumbered, before.missingEvents, before.inconsistentEvents, before.unknown,
                    after.confirmed, dlqAfter.total(), after.lost, after.doubleNumbered, after.missingEvents,
                    after.inconsistentEvents, after.unknown, observed.duplicateEvents(), seconds(submitted - started),
                    seconds(drained - submitted), seconds(finished - drained));

            assertThat(http.violations).as("HTTP answers other than 202/503-with-Retry-After, or resubmissions "
                    + "answered with another orderId").isEmpty();
            assertThat(faults.injectedCounts().values().stream().mapToInt(Integer::intValue).sum())
                    .as("faults injected").isGreaterThan(orderCount / 10);
            assertThat(before.violations).as("violations before the replay").isEmpty();
            assertThat(after.violations).as("violations after the replay").isEmpty();
            assertThat(List.of(before.lost, before.doubleNumbered, before.missingEvents, before.inconsistentEvents,
                    before.unknown)).as("lost, double-numbered, missing events, inconsistent events, unknown before the "
                    + "replay").containsOnly(0);
            assertThat(List.of(after.lost, after.doubleNumbered, after.missingEvents, after.inconsistentEvents,
                    after.unknown)).as("lost, double-numbered, missing events, inconsistent events, unknown after the "
                    + "replay").containsOnly(0);
            assertThat(dlqAfter.total()).as("dead-letter queue after the replay (faults off)").isZero();
            // (the rest of "every order whose message reached the queue is confirmed, and nothing else" is in check())
            assertThat(after.confirmed).as("confirmed orders after the replay")
                    .isBetween(faults.enqueuedOrderIds().size(), faults.transmittedOrderIds.size());
            assertThat(pipeline.eventBridgeEmulator().orElseThrow().deliveryFailures())
                    .as("EventBridge deliveries to the subscriber queue that failed").isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the client side
    // ---------------------------------------------------------------------------------------------------------------

    private enum Resubmit { NO, AT_ONCE, LATER }

    /** One order as the client submits it, and what the client was answered. */
    static final class Submitted {
        final int index;
        final TestOrder order;
        final String json;
        final String key;
        final String expectedId;
        final Resubmit resubmit;
        /** orderIds of every 202 answer. */
        final Set<String> answeredIds = ConcurrentHashMap.newKeySet();
        /** Whether the first submission (with all its retries) ended without a 202. */
        volatile boolean gaveUp;

        Submitted(int index, TestOrder order, String key, Resubmit resubmit) {
            this.index = index;
            this.order = order;
            this.json = order.json();
            this.key = key;
            this.expectedId = OrderId.fromIdempotencyKey(new CustomerId(order.customerId()), new IdempotencyKey(key)).value();
            this.resubmit = resubmit;
        }

        boolean accepted() {
            return !answeredIds.isEmpty();
        }
    }

    private static List<Submitted> plan(int count, long seed) {
        Random random = new Random(seed);
        List<Submitted> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int r = random.nextInt(100);
            Resubmit resubmit = r < 10 ? Resubmit.AT_ONCE : r < 20 ? Resubmit.LATER : Resubmit.NO;
            orders.add(new Submitted(i, TestOrders.varied(i), "soak-" + seed + "-" + i, resubmit));
        }
        assertThat(orders.stream().map(o -> o.expectedId).distinct()).as("distinct order ids").hasSize(count);
        return orders;
    }

    private static void runConcurrently(List<Submitted> orders, Consumer<Submitted> work) {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENT_THREADS, r -> new Thread(r, "soak-client"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            orders.forEach(o -> futures.add(threads.submit(() -> work.accept(o))));
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new AssertionError("a client thread failed", e);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A careful HTTP client: retries 503 after Retry-After with the same Idempotency-Key; records every answer. */
    static final class Http {
        /** The queue failed (the order may be on it anyway), or the key could not be claimed (nothing enqueued). */
        private static final Set<String> RETRYABLE = Set.of("urn:order-pipeline:problem:queue-unavailable",
                "urn:order-pipeline:problem:store-unavailable");
        /**
         * Far above what intake can take (three SDK calls of at most 8 s each): a request the client gave up on could
         * still enqueue its order after the test saw the queue quiet.
         */
        private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI orders;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger timeouts = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger resubmissions = new AtomicInteger();
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());

        Http(LocalPipeline pipeline) {
            this.orders = pipeline.httpApiUrl().resolve("/orders");
        }

        void submit(Submitted o, boolean resubmission) {
            if (resubmission) {
                resubmissions.incrementAndGet();
            }
            for (int attempt = 1; attempt <= ATTEMPTS_PER_SUBMISSION; attempt++) {
                if (attempt > 1) {
                    retries.incrementAndGet();
                }
                requests.incrementAndGet();
                HttpResponse<String> r;
                try {
                    r = http.send(HttpRequest.newBuilder(orders).timeout(REQUEST_TIMEOUT)
                            .header("Content-Type", "application/json").header("Idempotency-Key", o.key)
                            .POST(HttpRequest.BodyPublishers.ofString(o.json)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    // no answer: the order may or may not be enqueued; a careful client retries with the same key
                    timeouts.incrementAndGet();
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (r.statusCode() == 202) {
                    accepted.incrementAndGet();
                    String id = PipelineClient.parse(r.body()).path("orderId").asText();
                    if (!id.equals(o.expectedId)) {
                        violations.add("order " + o.index + " (key " + o.key + ") answered 202 with orderId " + id
                                + ", expected " + o.expectedId);
                    }
                    if (!r.headers().firstValue("Location").orElse("").equals("/orders/" + id)) {
                        violations.add("order " + o.index + ": 202 without Location /orders/" + id);
                    }
                    o.answeredIds.add(id);
                    return;
                }
                if (r.statusCode() == 503) {
                    unavailable.incrementAndGet();
                    String retryAfter = r.headers().firstValue("Retry-After").orElse("");
                    String type = PipelineClient.parse(r.body()).path("type").asText();
                    if (!retryAfter.matches("\\d+") || !RETRYABLE.contains(type)) {
                        violations.add("order " + o.index + ": 503 with Retry-After '" + retryAfter + "' and type " + type);
                        return;
                    }
                    honourRetryAfter(Long.parseLong(retryAfter));
                    continue;
                }
                violations.add("order " + o.index + " answered " + r.statusCode() + ": " + r.body());
                return;
            }
            if (!resubmission) {
                o.gaveUp = true;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // what the test observes, and the invariants
    // ---------------------------------------------------------------------------------------------------------------

    private record Check(int confirmed, int lost, int doubleNumbered, int missingEvents, int inconsistentEvents,
                         int unknown, List<String> violations) {
    }

    /** Table, subscriber queue and DLQ, read with the test's own (fault-free) clients. */
    static final class Observed {
        private final LocalPipeline pipeline;
        private final PipelineClient client;
        private final List<Submitted> orders;
        private final Faults faults;
        private final String numbering;
        private final Map<String, Submitted> byId = new HashMap<>();
        /** Every OrderConfirmed envelope received so far, by the detail's orderId (events accumulate across checks). */
        private final Map<String, List<JsonNode>> eventsByOrder = new HashMap<>();
        private final Set<String> contractChecked = new HashSet<>();
        final Set<String> deadLetterOrderIds = new TreeSet<>();
        private final List<String> deadLetterViolations = new ArrayList<>();

        Observed(LocalPipeline pipeline, PipelineClient client, List<Submitted> orders, Faults faults, String numbering) {
            this.pipeline = pipeline;
            this.client = client;
            this.orders = orders;
            this.faults = faults;
            this.numbering = numbering;
            orders.forEach(o -> byId.put(o.expectedId, o));
        }

        /**
         * Receives every message of the DLQ (hidden meanwhile), checks each body is an intact order message that intake
         * sent, then makes them all visible again for the replay.
         */
        List<Message> readDeadLetters() {
            String dlq = client.resources().deadLetterQueueUrl();
            Map<String, Message> messages = new LinkedHashMap<>();
            List<Message> batch;
            do {
                batch = client.sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(0)
                        .visibilityTimeout(300).messageAttributeNames("All")).messages();
                batch.forEach(m -> messages.putIfAbsent(m.messageId(), m));
            } while (!batch.isEmpty());
            for (Message m : messages.values()) {
                PendingOrder order;
                try {
                    order = OrderMessageJson.read(m.body());
                } catch (RuntimeException e) {
                    deadLetterViolations.add("unreadable dead letter " + m.messageId() + ": " + e.getMessage());
                    continue;
                }
                String id = order.orderId().value();
                deadLetterOrderIds.add(id);
                if (!faults.sentBodies.getOrDefault(id, Set.of()).contains(m.body())) {
                    deadLetterViolations.add("dead letter " + m.messageId() + " of order " + id + " is not a body intake sent");
                }
                var attribute = m.messageAttributes().get(SqsOrderQueue.ATTR_ORDER_ID);
                if (attribute == null || !id.equals(attribute.stringValue())) {
                    deadLetterViolations.add("dead letter " + m.messageId() + " lost its orderId attribute");
                }
            }
            List<Message> all = new ArrayList<>(messages.values());
            for (int i = 0; i < all.size(); i += 10) {
                List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
                for (Message m : all.subList(i, Math.min(all.size(), i + 10))) {
                    entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
                }
                client.sqs.changeMessageVisibilityBatch(b -> b.queueUrl(dlq).entries(entries));
            }
            return all;
        }

        Check check(Set<String> inDeadLetterQueue) {
            List<String> violations = new ArrayList<>(deadLetterViolations);
            deadLetterViolations.clear();
            List<Map<String, AttributeValue>> items = client.scanTable();

            // the table, read from the order items: one number per order, one order per number
            Map<String, Long> numberByOrder = new HashMap<>();
            Map<Long, String> orderByNumber = new HashMap<>();
            Map<Long, String> guards = new HashMap<>();
            int doubleNumbered = 0;
            int unknown = 0;
            long counter = PipelineClient.counter(items);
            for (Map<String, AttributeValue> item : items) {
                String pk = item.get("pk").s();
                if (pk.startsWith("ORDER#")) {
                    String id = item.get("orderId").s();
                    long n = Long.parseLong(item.get("orderNumber").n());
                    if (numberByOrder.put(id, n) != null) {
                        doubleNumbered++;
                        violations.add("order " + id + " stored twice");
                    }
                    if (orderByNumber.put(n, id) != null) {
                        doubleNumbered++;
                        violations.add("number " + n + " given to two orders");
                    }
                    if (!faults.transmittedOrderIds.contains(id)) {
                        unknown++;
                        violations.add("stored order " + id + " was never sent to the queue by intake");
                    }
                } else if (pk.startsWith("NUMBER#")) {
                    guards.put(Long.parseLong(pk.substring("NUMBER#".length())), item.get("orderId").s());
                }
            }
            // strict mode guards each number in the order's transaction; block mode writes no guard (one plain put)
            boolean guarded = "strict".equals(numbering);
            for (Map.Entry<Long, String> e : orderByNumber.entrySet()) {
                if (guarded && !e.getValue().equals(guards.get(e.getKey()))) {
                    doubleNumbered++;
                    violations.add("number " + e.getKey() + " of order " + e.getValue() + " is guarded for " + guards.get(e.getKey()));
                }
            }
            if (guards.size() != (guarded ? orderByNumber.size() : 0)) {
                doubleNumbered++;
                violations.add(guards.size() + " number guards for " + orderByNumber.size() + " stored orders in " + numbering + " mode");
            }
            if ("strict".equals(numbering) && (counter != orderByNumber.size()
                    || !orderByNumber.keySet().equals(new HashSet<>(IntStream.rangeClosed(1, orderByNumber.size())
                    .mapToObj(i -> (long) i).toList())))) {
                violations.add("strict numbers are not 1.." + orderByNumber.size() + " without gaps (counter " + counter + ")");
            }

            // the subscriber queue: every copy of an order's event is the same event, for a stored order
            List<Message> received;
            do {
                received = receiveAndDelete(client.resources().subscriberQueueUrl());
                for (Message m : received) {
                    JsonNode envelope = PipelineClient.parse(m.body());
                    eventsByOrder.computeIfAbsent(envelope.path("detail").path("orderId").asText(), k -> new ArrayList<>())
                            .add(envelope);
                }
            } while (!received.isEmpty());
            int inconsistentEvents = 0;
            for (Map.Entry<String, List<JsonNode>> e : eventsByOrder.entrySet()) {
                String id = e.getKey();
                Long number = numberByOrder.get(id);
                Submitted sent = byId.get(id);
                if (number == null || sent == null) {
                    unknown++;
                    violations.add("OrderConfirmed for an order that is not stored: " + id);
                    continue;
                }
                if (contractChecked.add(id)) {
                    try {
                        OrderConfirmedContract.assertValidEvent(e.getValue().get(0), pipeline.region());
                    } catch (AssertionError invalid) {
                        inconsistentEvents++;
                        violations.add("event of order " + id + " breaks the OrderConfirmed contract: " + invalid.getMessage());
                    }
                }
                JsonNode first = e.getValue().get(0).get("detail");
                for (JsonNode envelope : e.getValue()) {
                    JsonNode detail = envelope.get("detail");
                    boolean consistent = detail.path("eventId").asText().equals(OrderConfirmed.eventIdFor(new OrderId(id)))
                            && detail.path("orderNumber").asText().equals(new OrderNumber(number).toString())
                            && detail.path("customerId").asText().equals(sent.order.customerId())
                            && detail.path("total").asText().equals(sent.order.expectedTotal())
                            && detail.equals(first);
                    if (!consistent) {
                        inconsistentEvents++;
                        violations.add("event of order " + id + " (number " + number + ") differs: " + detail + " vs " + first);
                    }
                }
            }

            // every order whose message reached the queue is confirmed exactly once, or in the DLQ
            Set<String> mustBeThere = new TreeSet<>(faults.enqueuedOrderIds());
            for (Submitted o : orders) {
                if (o.accepted()) {
                    mustBeThere.add(o.expectedId);
                }
            }
            int lost = 0;
            int missingEvents = 0;
            for (String id : mustBeThere) {
                boolean confirmed = numberByOrder.containsKey(id);
                if (!confirmed && !inDeadLetterQueue.contains(id)) {
                    lost++;
                    violations.add("order " + id + " (accepted: " + (byId.containsKey(id) && byId.get(id).accepted())
                            + ") is neither confirmed nor in the DLQ");
                }
                if (confirmed && !eventsByOrder.containsKey(id) && !inDeadLetterQueue.contains(id)) {
                    missingEvents++;
                    violations.add("confirmed order " + id + " has no OrderConfirmed and no message in the DLQ");
                }
            }
            if (faults.enabled) {
                // before the replay: an order that failed on every attempt has nowhere else to be
                for (String id : faults.failingUntilFixed) {
                    if (!inDeadLetterQueue.contains(id)) {
                        violations.add("order " + id + " failed on every attempt, yet is not in the DLQ");
                    }
                }
            }
            for (String id : inDeadLetterQueue) {
                if (!faults.transmittedOrderIds.contains(id)) {
                    unknown++;
                    violations.add("dead letter for an order intake never sent: " + id);
                }
            }
            return new Check(numberByOrder.size(), lost, doubleNumbered, missingEvents, inconsistentEvents, unknown,
                    violations.size() > 20 ? violations.subList(0, 20) : violations);
        }

        /**
         * Short polls: the queue is quiet and the EventBridge endpoint delivers before PutEvents returns, so an empty
         * answer from the embedded SQS means the queue is empty.
         */
        private List<Message> receiveAndDelete(String queueUrl) {
            List<Message> messages = client.sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (!messages.isEmpty()) {
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                for (Message m : messages) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                            .receiptHandle(m.receiptHandle()).build());
                }
                client.sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            }
            return messages;
        }

        long givenUp() {
            return orders.stream().filter(o -> o.gaveUp).count();
        }

        long givenUpButEnqueued() {
            Set<String> enqueued = faults.enqueuedOrderIds();
            return orders.stream().filter(o -> o.gaveUp && enqueued.contains(o.expectedId)).count();
        }

        int duplicateEvents() {
            return eventsByOrder.values().stream().mapToInt(l -> l.size() - 1).sum();
        }
    }

    private static void awaitQuiet(PipelineClient client, String queueUrl, Duration within, String what) {
        await(what).atMost(within).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(client.depth(queueUrl))
                        .as("order queue depth (visible, in flight) never reached zero within %s", within)
                        .isEqualTo(new PipelineClient.Depth(0, 0)));
    }

    /** What {@code ./orders dlq replay --wait} does: an SQS message move task from the DLQ back to the order queue. */
    private static void replayDeadLetters(PipelineClient client, int deadLetters, Duration within) {
        Provisioned r = client.resources();
        if (deadLetters > 0) {
            client.sqs.startMessageMoveTask(b -> b.sourceArn(r.deadLetterQueueArn()).destinationArn(r.ordersQueueArn())
                    .maxNumberOfMessagesPerSecond(100));
        }
        await("the dead-letter queue is replayed and the order queue drains again").atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(client.sqs.listMessageMoveTasks(b -> b.sourceArn(r.deadLetterQueueArn())).results())
                            .as("message move tasks still running").noneMatch(t -> "RUNNING".equals(t.status()));
                    assertThat(client.depth(r.deadLetterQueueUrl())).as("dead-letter queue depth")
                            .isEqualTo(new PipelineClient.Depth(0, 0));
                    assertThat(client.depth(r.ordersQueueUrl())).as("order queue depth")
                            .isEqualTo(new PipelineClient.Depth(0, 0));
                });
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * The simulated client's own back-off, not a wait for the pipeline: a careful client waits Retry-After before it
     * retries with the same key (scaled down by {@value #RETRY_AFTER_SCALE_MILLIS} ms per second to keep the soak
     * short). What the test waits for elsewhere is polled with a bound and a name (awaitility).
     */
    private static void honourRetryAfter(long seconds) {
        try {
            Thread.sleep(seconds * RETRY_AFTER_SCALE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the faults
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Seeded fault decisions, and what the test learns at the functions' AWS boundary. A decision is drawn from the
     * seed, the kind of call, the order it concerns and how many times such a call was made for that order, so it
     * does not depend on which thread happens to make it.
     */
    static final class Faults {
        final long seed;
        volatile boolean enabled = true;
        private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        /** Orders intake transmitted a SendMessage for (whether or not SQS applied it). */
        final Set<String> transmittedOrderIds = ConcurrentHashMap.newKeySet();
        /** Every message body intake transmitted, by orderId: what an intact dead letter must be. */
        final Map<String, Set<String>> sentBodies = new ConcurrentHashMap<>();
        /** Orders for which SQS answered a SendMessage: their message is certainly on the queue. */
        private final Set<String> enqueued = ConcurrentHashMap.newKeySet();
        final AtomicInteger enqueuedMessages = new AtomicInteger();
        /** Orders whose every store or every publish fails while faults are on: they must end in the DLQ. */
        final Set<String> failingUntilFixed = ConcurrentHashMap.newKeySet();

        Faults(long seed) {
            this.seed = seed;
        }

        /** 0..999, for the next call of this kind for this key. */
        int roll(String kind, String key) {
            int n = calls.computeIfAbsent(kind + "|" + key, k -> new AtomicInteger()).incrementAndGet();
            return draw(kind, key, n);
        }

        /** 0..999, a fixed property of the key: the same on every call. */
        int trait(String kind, String key) {
            return draw(kind, key, 0);
        }

        private int draw(String kind, String key, int n) {
            UUID hash = UUID.nameUUIDFromBytes((seed + "|" + kind + "|" + key + "|" + n).getBytes(StandardCharsets.UTF_8));
            return new SplittableRandom(hash.getMostSignificantBits() ^ hash.getLeastSignificantBits()).nextInt(1000);
        }

        void count(String kind, int n) {
            injected.computeIfAbsent(kind, k -> new AtomicInteger()).addAndGet(n);
        }

        Map<String, Integer> injectedCounts() {
            Map<String, Integer> counts = new TreeMap<>();
            injected.forEach((k, v) -> counts.put(k, v.get()));
            return counts;
        }

        Set<String> enqueuedOrderIds() {
            return Set.copyOf(enqueued);
        }
    }

    private enum After { NOTHING, LOSE_RESPONSE, DIE }

    /** What was decided for one call before it was sent; read back once its response is in. */
    private record Plan(String fault, After after, Set<Integer> failingEntries, int entryCount) {
        static final Plan NONE = new Plan(null, After.NOTHING, Set.of(), 0);

        static Plan after(String fault, After after) {
            return new Plan(fault, after, Set.of(), 0);
        }
    }

    private static final ExecutionAttribute<Plan> PLAN = new ExecutionAttribute<>("HttpFaultSoakIT.plan");

    private static AwsErrorDetails error(String service, String code) {
        return AwsErrorDetails.builder().serviceName(service).errorCode(code).errorMessage("injected " + code).build();
    }

    /** Faults on the intake function's clients: SendMessage, the confirmed-order GetItem and the key's PutItem. */
    static final class IntakeFaults implements ExecutionInterceptor {
        private final Faults faults;

        IntakeFaults(Faults faults) {
            this.faults = faults;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            attributes.putAttribute(PLAN, Plan.NONE);
            if (!faults.enabled) {
                return;
            }
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (context.request() instanceof SendMessageRequest send) {
                String orderId = send.messageAttributes().get(SqsOrderQueue.ATTR_ORDER_ID).stringValue();
                int roll = faults.roll(op, orderId);
                if (faults.trait("sqs-outage", orderId) < 25) {
                    // an outage that lasts through all of this order's attempts; some sends still reach the queue
                    if (roll < 700) {
                        faults.count("intake-sqs-unavailable", 1);
                        throw SqsException.builder().statusCode(503).message("injected ServiceUnavailable")
                                .awsErrorDetails(error("Sqs", "ServiceUnavailable")).build();
                    }
                    attributes.putAttribute(PLAN, Plan.after("intake-sqs-response-lost-after-send", After.LOSE_RESPONSE));
                } else if (roll < 80) {
                    faults.count("intake-sqs-throttled", 1);
                    throw RequestThrottledException.builder().statusCode(400).message("injected RequestThrottled")
                            .awsErrorDetails(error("Sqs", "RequestThrottled")).build();
                } else if (roll < 110) {
                    attributes.putAttribute(PLAN, Plan.after("intake-sqs-response-lost-after-send", After.LOSE_RESPONSE));
                }
            } else if (context.request() instanceof GetItemRequest get) {
                if (faults.roll(op, get.key().get("pk").s()) < 100) {
                    faults.count("intake-getitem-throttled", 1);
                    throw ProvisionedThroughputExceededException.builder().statusCode(400).message("injected")
                            .awsErrorDetails(error("DynamoDb", "ProvisionedThroughputExceededException")).build();
                }
            } else if (context.request() instanceof PutItemRequest put) {
                // the Idempotency-Key claim: throttled (nothing written), or written with its response lost
                int roll = faults.roll(op, put.item().get("pk").s());
                if (roll < 80) {
                    faults.count("intake-claim-throttled", 1);
                    throw ProvisionedThroughputExceededException.builder().statusCode(400).message("injected")
                            .awsErrorDetails(error("DynamoDb", "ProvisionedThroughputExceededException")).build();
                } else if (roll < 130) {
                    attributes.putAttribute(PLAN, Plan.after("intake-claim-response-lost-after-write", After.LOSE_RESPONSE));
                }
            }
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof SendMessageRequest send) {
                String orderId = send.messageAttributes().get(SqsOrderQueue.ATTR_ORDER_ID).stringValue();
                faults.transmittedOrderIds.add(orderId);
                faults.sentBodies.computeIfAbsent(orderId, k -> ConcurrentHashMap.newKeySet()).add(send.messageBody());
            }
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (context.request() instanceof SendMessageRequest send) {
                faults.enqueued.add(send.messageAttributes().get(SqsOrderQueue.ATTR_ORDER_ID).stringValue());
                faults.enqueuedMessages.incrementAndGet();
            }
            Plan plan = attributes.getAttribute(PLAN);
            if (plan != null && plan.after == After.LOSE_RESPONSE) {
                faults.count(plan.fault, 1);
                throw ApiCallTimeoutException.create(8000);
            }
            return context.response();
        }
    }

    /** Faults on the confirmation function's clients: the order's write (TransactWriteItems; block mode: PutItem) and PutEvents. */
    static final class ConfirmationFaults implements ExecutionInterceptor {
        private final Faults faults;

        ConfirmationFaults(Faults faults) {
            this.faults = faults;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            attributes.putAttribute(PLAN, Plan.NONE);
            if (!faults.enabled) {
                return;
            }
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            String storedOrderId = context.request() instanceof TransactWriteItemsRequest write
                    ? write.transactItems().get(0).put().item().get("orderId").s()
                    : context.request() instanceof PutItemRequest put ? put.item().get("orderId").s() : null; // block mode
            if (storedOrderId != null) {
                String orderId = storedOrderId;
                if (faults.trait("hot-order", orderId) < 30) {
                    faults.failingUntilFixed.add(orderId);
                    faults.count("dynamodb-throttled-until-fixed", 1);
                    throw throughputExceeded();
                }
                int roll = faults.roll(op, orderId);
                if (roll < 25) {
                    faults.count("dynamodb-throughput-exceeded", 1);
                    throw throughputExceeded();
                } else if (roll < 40) {
                    faults.count("dynamodb-throttled", 1);
                    throw software.amazon.awssdk.services.dynamodb.model.ThrottlingException.builder().statusCode(400)
                            .message("injected").awsErrorDetails(error("DynamoDb", "ThrottlingException")).build();
                } else if (roll < 80 && context.request() instanceof PutItemRequest) {
                    faults.count("dynamodb-transaction-conflict", 1);
                    throw TransactionConflictException.builder().statusCode(400).message("injected conflict")
                            .awsErrorDetails(error("DynamoDb", "TransactionConflictException")).build();
                } else if (roll < 80) {
                    TransactWriteItemsRequest write = (TransactWriteItemsRequest) context.request();
                    faults.count("dynamodb-transaction-conflict", 1);
                    List<CancellationReason> reasons = new ArrayList<>();
                    int conflicting = roll % write.transactItems().size();
                    for (int i = 0; i < write.transactItems().size(); i++) {
                        reasons.add(CancellationReason.builder().code(i == conflicting ? "TransactionConflict" : "None")
                                .build());
                    }
                    throw TransactionCanceledException.builder().statusCode(400).message("injected conflict")
                            .awsErrorDetails(error("DynamoDb", "TransactionCanceledException"))
                            .cancellationReasons(reasons).build();
                } else if (roll < 110) {
                    attributes.putAttribute(PLAN, Plan.after("dynamodb-response-lost-after-write", After.LOSE_RESPONSE));
                } else if (roll < 120) {
                    attributes.putAttribute(PLAN, Plan.after("death-after-write", After.DIE));
                }
            } else if (context.request() instanceof PutEventsRequest put) {
                List<String> orderIds = put.entries().stream()
                        .map(e -> PipelineClient.parse(e.detail()).path("orderId").asText()).toList();
                int roll = faults.roll(op, orderIds.get(0));
                if (roll < 30) {
                    faults.count("putevents-throttled", 1);
                    throw throttled();
                }
                Set<Integer> failing = new TreeSet<>();
                for (int i = 0; i < orderIds.size(); i++) {
                    String id = orderIds.get(i);
                    if (faults.trait("publish-outage", id) < 30) {
                        faults.failingUntilFixed.add(id);
                        failing.add(i);
                    } else if (faults.roll("PutEvents-entry", id) < 60) {
                        failing.add(i);
                    }
                }
                if (failing.size() == orderIds.size()) {
                    // a request cannot be sent without entries: every entry failing is answered as a throttled call
                    faults.count("putevents-entry-failure", failing.size());
                    throw throttled();
                }
                After after = roll < 50 ? After.LOSE_RESPONSE : roll < 65 ? After.DIE : After.NOTHING;
                String fault = after == After.LOSE_RESPONSE ? "putevents-response-lost-after-put"
                        : after == After.DIE ? "death-after-putevents" : null;
                attributes.putAttribute(PLAN, new Plan(fault, after, failing, orderIds.size()));
            }
        }

        /** Per-entry failures: the failing entries are not sent, so they are not on the bus, as on EventBridge. */
        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            Plan plan = attributes.getAttribute(PLAN);
            if (plan == null || plan.failingEntries.isEmpty() || !(context.request() instanceof PutEventsRequest put)) {
                return context.request();
            }
            List<PutEventsRequestEntry> kept = new ArrayList<>();
            for (int i = 0; i < put.entries().size(); i++) {
                if (!plan.failingEntries.contains(i)) {
                    kept.add(put.entries().get(i));
                }
            }
            return put.toBuilder().entries(kept).build();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            Plan plan = attributes.getAttribute(PLAN);
            SdkResponse response = context.response();
            if (plan == null) {
                return response;
            }
            if (!plan.failingEntries.isEmpty() && response instanceof PutEventsResponse put) {
                // answer for every entry of the caller's request, in its order: the sent ones as EventBridge answered
                List<PutEventsResultEntry> merged = new ArrayList<>();
                int next = 0;
                for (int i = 0; i < plan.entryCount; i++) {
                    if (plan.failingEntries.contains(i)) {
                        boolean throttling = i % 2 == 0;
                        merged.add(PutEventsResultEntry.builder()
                                .errorCode(throttling ? "ThrottlingException" : "InternalFailure")
                                .errorMessage("injected").build());
                    } else {
                        merged.add(put.entries().get(next++));
                    }
                }
                int failed = (put.failedEntryCount() == null ? 0 : put.failedEntryCount()) + plan.failingEntries.size();
                faults.count("putevents-entry-failure", plan.failingEntries.size());
                response = put.toBuilder().entries(merged).failedEntryCount(failed).build();
            }
            if (plan.after == After.LOSE_RESPONSE) {
                faults.count(plan.fault, 1);
                throw ApiCallTimeoutException.create(8000);
            }
            if (plan.after == After.DIE) {
                faults.count(plan.fault, 1);
                throw new WorkerDeath("after " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)
                        + " was applied");
            }
            return response;
        }

        private static ProvisionedThroughputExceededException throughputExceeded() {
            return ProvisionedThroughputExceededException.builder().statusCode(400).message("injected")
                    .awsErrorDetails(error("DynamoDb", "ProvisionedThroughputExceededException")).build();
        }

        private static RuntimeException throttled() {
            return software.amazon.awssdk.services.eventbridge.model.ThrottlingException.builder().statusCode(400)
                    .message("injected").awsErrorDetails(error("EventBridge", "ThrottlingException")).build();
        }
    }
}
