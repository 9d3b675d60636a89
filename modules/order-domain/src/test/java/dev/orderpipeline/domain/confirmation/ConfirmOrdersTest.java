package dev.orderpipeline.domain.confirmation;

import static dev.orderpipeline.domain.TestOrders.SUBMITTED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.TestOrders;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConfirmOrdersTest {
    private static final Instant NOW = SUBMITTED_AT.plusSeconds(2);

    private InMemoryOrderStore store;
    private ScriptedEventPublisher publisher;
    private MutableClock clock;
    private ConfirmOrders confirmOrders;

    @BeforeEach
    void setUp() {
        store = new InMemoryOrderStore();
        publisher = new ScriptedEventPublisher();
        clock = new MutableClock(NOW);
        confirmOrders = new ConfirmOrders(store, new StrictOrderNumberAllocator(store), publisher, clock);
    }

    // ---------------------------------------------------------------- helpers

    /** Through the queue's wire format, as the handler reads it. */
    private static QueuedOrder message(String messageId, PendingOrder order) {
        return raw(messageId, OrderMessageJson.write(order));
    }

    private static QueuedOrder raw(String messageId, String body) {
        return OrderMessageJson.toQueuedOrder(messageId, body);
    }

    private ConfirmedOrder stored(PendingOrder order) {
        return store.findConfirmed(order.orderId()).orElseThrow(() -> new AssertionError("order not stored"));
    }

    /** The same order id with different content, as when a client reuses an idempotency key for another cart. */
    private static PendingOrder sameIdOtherContent(PendingOrder order) {
        OrderSubmission s = order.submission();
        List<OrderLine> lines = new ArrayList<>(s.lines());
        OrderLine first = lines.get(0);
        lines.set(0, new OrderLine(first.sku(), first.quantity() + 1, first.unitPrice()));
        return new PendingOrder(order.orderId(), order.submittedAt(),
                new OrderSubmission(s.customerId(), s.currency(), lines, s.shippingAddress(), s.attributes()));
    }

    private static List<PendingOrder> orders(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(TestOrders::pending).toList();
    }

    // ---------------------------------------------------------------- a fresh order

    @Test
    void confirm_whenOrderIsNew_storesItWithNumberOne() {
        PendingOrder order = TestOrders.pending(1);

        BatchResult result = confirmOrders.confirm(List.of(message("m-1", order)));

        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(result.confirmed()).isEqualTo(1);
        assertThat(result.duplicateDeliveries()).isZero();
        assertThat(result.conflicts()).isZero();
        assertThat(result.poisonMessages()).isZero();
        assertThat(result.publishRetries()).isZero();
        ConfirmedOrder confirmed = stored(order);
        assertThat(confirmed.order()).isEqualTo(order);
        assertThat(confirmed.orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(confirmed.confirmedAt()).isEqualTo(NOW);
        assertThat(confirmed.fingerprint()).isEqualTo(OrderFingerprint.of(order.submission()));
        assertThat(store.counter()).isEqualTo(1);
    }

    @Test
    void confirm_whenOrderIsNew_publishesEventWithDerivedEventId() {
        PendingOrder order = TestOrders.pending(1);

        confirmOrders.confirm(List.of(message("m-1", order)));

        assertThat(publisher.calls()).hasSize(1);
        assertThat(publisher.accepted()).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo(OrderConfirmed.eventIdFor(order.orderId()));
            assertThat(e.orderId()).isEqualTo(order.orderId());
            assertThat(e.orderNumber()).isEqualTo(new OrderNumber(1));
            assertThat(e.total()).isEqualTo(order.submission().total());
            assertThat(e.submittedAt()).isEqualTo(SUBMITTED_AT);
            assertThat(e.confirmedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void confirm_whenOrderIsConfirmed_reportsLatencyFromSubmission() {
        BatchResult result = confirmOrders.confirm(List.of(message("m-1", TestOrders.pending(1))));

        assertThat(result.confirmationLatencies()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void confirm_whenBatchHasSeveralOrders_numbersThemInOrderAndPublishesOnce() {
        List<PendingOrder> orders = orders(3);

        BatchResult result = confirmOrders.confirm(List.of(
                message("m-1", orders.get(0)), message("m-2", orders.get(1)), message("m-3", orders.get(2))));

        assertThat(result.confirmed()).isEqualTo(3);
        assertThat(orders).extracting(o -> stored(o).orderNumber().sequence()).containsExactly(1L, 2L, 3L);
        assertThat(publisher.calls()).singleElement()
                .satisfies(call -> assertThat(call).extracting(OrderConfirmed::orderId)
                        .containsExactly(orders.get(0).orderId(), orders.get(1).orderId(), orders.get(2).orderId()));
    }

    @Test
    void confirm_whenBatchIsEmpty_doesNothing() {
        BatchResult result = confirmOrders.confirm(List.of());

        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(result.confirmed()).isZero();
        assertThat(publisher.calls()).isEmpty();
        assertThat(store.orders()).isEmpty();
    }

    // ---------------------------------------------------------------- duplicates

    @Test
    void confirm_whenSameMessageIsTwiceInOneBatch_storesOneOrderAndPublishesOneEvent() {
        PendingOrder order = TestOrders.pending(1);

        BatchResult result = confirmOrders.confirm(List.of(message("m-1", order), message("m-1-again", order)));

        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(result.confirmed()).isEqualTo(1);
        assertThat(result.duplicateDeliveries()).isEqualTo(1);
        assertThat(store.orders()).containsOnlyKeys(order.orderId());
        assertThat(store.counter()).isEqualTo(1);
        assertThat(publisher.calls()).singleElement().satisfies(call -> assertThat(call).hasSize(1));
        assertThat(publisher.accepted()).singleElement()
                .satisfies(e -> assertThat(e.eventId()).isEqualTo(OrderConfirmed.eventIdFor(order.orderId())));
    }

    @Test
    void confirm_whenMessageIsRedeliveredInLaterBatch_reusesNumberAndRepublishesIdenticalEvent() {
        PendingOrder order = TestOrders.pending(1);
        confirmOrders.confirm(List.of(message("m-1", order)));
        clock.set(NOW.plus(Duration.ofMinutes(5)));

        BatchResult redelivery = confirmOrders.confirm(List.of(message("m-1", order)));

        assertThat(redelivery.failedMessageIds()).isEmpty();
        assertThat(redelivery.confirmed()).isZero();
        assertThat(redelivery.duplicateDeliveries()).isEqualTo(1);
        assertThat(redelivery.confirmationLatencies()).isEmpty();
        assertThat(store.orders()).hasSize(1);
        assertThat(store.counter()).isEqualTo(1);
        assertThat(store.successfulWrites()).isEqualTo(1);
        List<OrderConfirmed> events = publisher.acceptedFor(order.orderId());
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isEqualTo(events.get(0)); // same eventId, number and confirmedAt
        assertThat(events.get(1).orderNumber()).isEqualTo(new OrderNumber(1));
    }

    @Test
    void confirm_whenMessageIsDeliveredManyTimesAcrossBatches_keepsOneNumber() {
        PendingOrder order = TestOrders.pending(1);
        PendingOrder other = TestOrders.pending(2);
        int duplicates = 0;

        for (int batch = 0; batch < 5; batch++) {
            BatchResult result = confirmOrders.confirm(List.of(message("m-" + batch, order), message("d-" + batch, order)));
            duplicates += result.duplicateDeliveries();
        }
        confirmOrders.confirm(List.of(message("m-other", other)));

        assertThat(duplicates).isEqualTo(9);
        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(stored(other).orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(publisher.acceptedFor(order.orderId()))
                .hasSize(5)
                .extracting(OrderConfirmed::eventId, OrderConfirmed::orderNumber)
                .containsOnly(tuple(OrderConfirmed.eventIdFor(order.orderId()), new OrderNumber(1)));
    }

    @Test
    void confirm_whenClientRetryWasEnqueuedLater_countsDuplicateAndKeepsOriginalSubmittedAt() {
        PendingOrder original = TestOrders.pending(1);
        PendingOrder retry = new PendingOrder(original.orderId(), SUBMITTED_AT.plusSeconds(30), original.submission());
        confirmOrders.confirm(List.of(message("m-1", original)));

        BatchResult result = confirmOrders.confirm(List.of(message("m-2", retry)));

        assertThat(result.duplicateDeliveries()).isEqualTo(1);
        assertThat(result.conflicts()).isZero();
        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(publisher.acceptedFor(original.orderId()))
                .extracting(OrderConfirmed::submittedAt)
                .containsExactly(SUBMITTED_AT, SUBMITTED_AT);
    }

    // ---------------------------------------------------------------- conflicts

    @Test
    void confirm_whenSameOrderIdArrivesWithDifferentContent_countsConflictAndKeepsStoredOrder() {
        PendingOrder original = TestOrders.pending(1);
        confirmOrders.confirm(List.of(message("m-1", original)));
        ConfirmedOrder before = stored(original);

        BatchResult result = confirmOrders.confirm(List.of(message("m-2", sameIdOtherContent(original))));

        assertThat(result.conflicts()).isEqualTo(1);
        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(result.confirmed()).isZero();
        assertThat(result.duplicateDeliveries()).isZero();
        assertThat(stored(original)).isEqualTo(before);
        assertThat(store.counter()).isEqualTo(1);
        assertThat(publisher.calls()).hasSize(1); // only the original's batch published anything
    }

    @Test
    void confirm_whenConflictIsInSameBatchAsOriginal_confirmsOriginalOnly() {
        PendingOrder original = TestOrders.pending(1);
        PendingOrder conflicting = sameIdOtherContent(original);

        BatchResult result = confirmOrders.confirm(List.of(message("m-1", original), message("m-2", conflicting)));

        assertThat(result.confirmed()).isEqualTo(1);
        assertThat(result.conflicts()).isEqualTo(1);
        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(stored(original).order()).isEqualTo(original);
        assertThat(publisher.accepted()).singleElement()
                .satisfies(e -> assertThat(e.total()).isEqualTo(original.submission().total()));
    }

    // ---------------------------------------------------------------- poison messages

    @Test
    void confirm_whenBatchHasPoisonMessages_failsOnlyThoseAndConfirmsTheOthers() {
        List<PendingOrder> good = orders(2);
        ObjectNode invalid = (ObjectNode) OrderJson.parse(OrderMessageJson.write(TestOrders.pending(3)));
        ((ObjectNode) invalid.get("order").get("lines").get(0)).put("quantity", 0);

        BatchResult result = confirmOrders.confirm(List.of(
                message("good-1", good.get(0)),
                raw("malformed", "{\"messageVersion\":1,"),
                raw("invalid", OrderJson.write(invalid)),
                raw("empty", ""),
                raw("null-body", null),
                raw("duplicate-keys", "{\"messageVersion\":1,\"messageVersion\":1}"),
                message("good-2", good.get(1))));

        assertThat(result.failedMessageIds())
                .containsExactly("malformed", "invalid", "empty", "null-body", "duplicate-keys");
        assertThat(result.poisonMessages()).isEqualTo(5);
        assertThat(result.confirmed()).isEqualTo(2);
        assertThat(stored(good.get(0)).orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(stored(good.get(1)).orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(store.orders()).hasSize(2);
        assertThat(publisher.accepted()).extracting(OrderConfirmed::orderId)
                .containsExactly(good.get(0).orderId(), good.get(1).orderId());
    }

    @Test
    void confirm_whenOneLineTotalExceedsMaximum_failsOnlyThatMessage() {
        // used to escape as IllegalArgumentException and fail the whole batch, dragging its siblings to the DLQ
        ObjectNode huge = (ObjectNode) OrderJson.parse(OrderMessageJson.write(TestOrders.pending(2)));
        ((ObjectNode) huge.get("order").get("lines").get(0)).put("quantity", 10_000).put("unitPrice", "1000000000.00");
        PendingOrder good = TestOrders.pending(1);

        BatchResult result = confirmOrders.confirm(List.of(
                raw("huge", OrderJson.write(huge)), message("good", good)));

        assertThat(result.failedMessageIds()).containsExactly("huge");
        assertThat(result.poisonMessages()).isEqualTo(1);
        assertThat(stored(good).orderNumber()).isEqualTo(new OrderNumber(1));
    }

    @Test
    void confirm_whenMessageHasUnsupportedVersion_treatsItAsPoison() {
        ObjectNode v2 = (ObjectNode) OrderJson.parse(OrderMessageJson.write(TestOrders.pending(1)));
        v2.put("messageVersion", 2);

        BatchResult result = confirmOrders.confirm(List.of(raw("v2", OrderJson.write(v2))));

        assertThat(result.failedMessageIds()).containsExactly("v2");
        assertThat(result.poisonMessages()).isEqualTo(1);
        assertThat(store.orders()).isEmpty();
    }

    // ---------------------------------------------------------------- publishing failures

    @Test
    void confirm_whenPublisherFailsForOneOrder_failsOnlyThatOrdersMessages() {
        List<PendingOrder> o = orders(3);
        publisher.failWhen(e -> e.orderId().equals(o.get(1).orderId()));

        BatchResult result = confirmOrders.confirm(List.of(
                message("a", o.get(0)), message("b-1", o.get(1)), message("c", o.get(2)), message("b-2", o.get(1))));

        assertThat(result.failedMessageIds()).containsExactlyInAnyOrder("b-1", "b-2");
        assertThat(result.publishRetries()).isEqualTo(ScriptedEventPublisher.RETRIES_PER_FAILURE);
        assertThat(result.confirmed()).isEqualTo(3);
        assertThat(result.duplicateDeliveries()).isEqualTo(1);
        assertThat(publisher.accepted()).extracting(OrderConfirmed::orderId)
                .containsExactly(o.get(0).orderId(), o.get(2).orderId());
        assertThat(stored(o.get(1)).orderNumber()).isEqualTo(new OrderNumber(2));
    }

    @Test
    void confirm_whenFailedPublishIsRedelivered_republishesSameEventWithSameNumber() {
        List<PendingOrder> o = orders(3);
        publisher.failWhen(e -> e.orderId().equals(o.get(1).orderId()));
        confirmOrders.confirm(List.of(message("a", o.get(0)), message("b", o.get(1)), message("c", o.get(2))));
        OrderConfirmed attempted = publisher.calls().get(0).get(1);
        publisher.failNothing();
        clock.set(NOW.plusSeconds(60));

        BatchResult redelivery = confirmOrders.confirm(List.of(message("b", o.get(1))));

        assertThat(redelivery.failedMessageIds()).isEmpty();
        assertThat(redelivery.duplicateDeliveries()).isEqualTo(1);
        assertThat(publisher.acceptedFor(o.get(1).orderId())).containsExactly(attempted);
        assertThat(attempted.orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(store.counter()).isEqualTo(3);
    }

    @Test
    void confirm_whenEveryPublishFailsAfterSaveAndMessageIsRedelivered_keepsNumberAndPublishesOnce() {
        // a crash between save and publish looks the same to the queue: the message comes back
        PendingOrder order = TestOrders.pending(1);
        publisher.failWhen(e -> true);

        BatchResult first = confirmOrders.confirm(List.of(message("m-1", order)));

        assertThat(first.failedMessageIds()).containsExactly("m-1");
        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(publisher.accepted()).isEmpty();

        publisher.failNothing();
        BatchResult second = confirmOrders.confirm(List.of(message("m-1", order)));

        assertThat(second.failedMessageIds()).isEmpty();
        assertThat(second.confirmed()).isZero();
        assertThat(second.duplicateDeliveries()).isEqualTo(1);
        assertThat(store.successfulWrites()).isEqualTo(1);
        assertThat(store.counter()).isEqualTo(1);
        assertThat(publisher.accepted()).singleElement().satisfies(e -> {
            assertThat(e.orderNumber()).isEqualTo(new OrderNumber(1));
            assertThat(e.eventId()).isEqualTo(OrderConfirmed.eventIdFor(order.orderId()));
        });
    }

    // ---------------------------------------------------------------- store and allocator failures

    @Test
    void confirm_whenStoreIsUnavailableForOneOrder_failsOnlyThatMessage() {
        List<PendingOrder> o = orders(3);
        store.failSavesOf(o.get(1).orderId());

        BatchResult result = confirmOrders.confirm(List.of(message("a", o.get(0)), message("b", o.get(1)), message("c", o.get(2))));

        assertThat(result.failedMessageIds()).containsExactly("b");
        assertThat(result.confirmed()).isEqualTo(2);
        assertThat(result.poisonMessages()).isZero();
        assertThat(store.findConfirmed(o.get(1).orderId())).isEmpty();
        assertThat(stored(o.get(0)).orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(stored(o.get(2)).orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(publisher.accepted()).extracting(OrderConfirmed::orderId)
                .containsExactly(o.get(0).orderId(), o.get(2).orderId());
    }

    @Test
    void confirm_whenStoreRecoversAndMessageIsRedelivered_confirmsWithNextNumber() {
        List<PendingOrder> o = orders(2);
        store.failSavesOf(o.get(0).orderId());
        confirmOrders.confirm(List.of(message("a", o.get(0)), message("b", o.get(1))));
        store.recover(o.get(0).orderId());

        BatchResult redelivery = confirmOrders.confirm(List.of(message("a", o.get(0))));

        assertThat(redelivery.failedMessageIds()).isEmpty();
        assertThat(redelivery.confirmed()).isEqualTo(1);
        assertThat(stored(o.get(0)).orderNumber()).isEqualTo(new OrderNumber(2));
    }

    @Test
    void confirm_whenAllocatorCannotReadCounter_failsMessageWithoutStoringAnything() {
        OrderNumberAllocator down = new OrderNumberAllocator() {
            @Override
            public NumberClaim claim() {
                throw new OrderStoreUnavailableException("counter unreadable", new IOException("timeout"));
            }

            @Override
            public void settle(NumberClaim claim, SaveOutcome outcome) {
                throw new AssertionError("nothing was claimed");
            }
        };
        ConfirmOrders withDownAllocator = new ConfirmOrders(store, down, publisher, clock);

        BatchResult result = withDownAllocator.confirm(List.of(message("a", TestOrders.pending(1))));

        assertThat(result.failedMessageIds()).containsExactly("a");
        assertThat(result.poisonMessages()).isZero();
        assertThat(store.orders()).isEmpty();
        assertThat(publisher.calls()).isEmpty();
    }

    @Test
    void confirm_whenClaimsAreStale_retriesAndEndsConfirmed() {
        confirmOrders.confirm(List.of(message("first", TestOrders.pending(1)))); // counter is now 1
        List<NumberClaim> stale = List.of(
                new NumberClaim.Conditional(new OrderNumber(1), 0),
                new NumberClaim.Conditional(new OrderNumber(1), 0),
                new NumberClaim.Conditional(new OrderNumber(1), 0));
        ScriptedOrderNumberAllocator allocator = new ScriptedOrderNumberAllocator(stale, new StrictOrderNumberAllocator(store));
        ConfirmOrders confirm = new ConfirmOrders(store, allocator, publisher, clock);
        PendingOrder order = TestOrders.pending(2);

        BatchResult result = confirm.confirm(List.of(message("second", order)));

        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(result.confirmed()).isEqualTo(1);
        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(allocator.settled()).containsExactly(
                new SaveOutcome.ClaimStale(1), new SaveOutcome.ClaimStale(1), new SaveOutcome.ClaimStale(1),
                new SaveOutcome.Saved(stored(order)));
    }

    @Test
    void confirm_whenClaimIsStale_retriesAtOnceWithTheCounterTheStoreReturned() {
        confirmOrders.confirm(List.of(message("first", TestOrders.pending(1)))); // counter is now 1
        List<NumberClaim> stale = List.of(new NumberClaim.Conditional(new OrderNumber(1), 0));
        ScriptedOrderNumberAllocator allocator = new ScriptedOrderNumberAllocator(stale, new StrictOrderNumberAllocator(store));
        List<Long> pauses = new ArrayList<>();
        ConfirmOrders confirm = new ConfirmOrders(store, allocator, publisher, clock, pauses::add);
        PendingOrder order = TestOrders.pending(2);

        confirm.confirm(List.of(message("second", order)));

        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(pauses).as("waits after a lost counter race (the winner would only move it again)").isEmpty();
    }

    @Test
    void confirm_whenClaimIsStaleAgainRightAfterAnImmediateRetry_backsOffOnceThenRetriesAtOnceAgain() {
        confirmOrders.confirm(List.of(message("first", TestOrders.pending(1)))); // counter is now 1
        NumberClaim stale = new NumberClaim.Conditional(new OrderNumber(1), 0);
        ScriptedOrderNumberAllocator allocator = new ScriptedOrderNumberAllocator(List.of(stale, stale, stale, stale),
                new StrictOrderNumberAllocator(store));
        List<Long> pauses = new ArrayList<>();
        ConfirmOrders confirm = new ConfirmOrders(store, allocator, publisher, clock, pauses::add);
        PendingOrder order = TestOrders.pending(2);

        confirm.confirm(List.of(message("second", order)));

        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(allocator.settled()).hasSize(5);
        assertThat(pauses).as("lost, at once, lost: wait; lost, at once, lost: wait; then the fifth claim wins")
                .hasSize(2);
    }

    @Test
    void confirm_whenWriteCollidesWithAConcurrentTransaction_backsOffBeforeTryingAgain() {
        List<Long> pauses = new ArrayList<>();
        OrderStore colliding = new OrderStore() {
            private int calls;

            @Override
            public SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim) {
                return calls++ < 2 ? new SaveOutcome.Contended() : store.saveNew(order, claim);
            }

            @Override
            public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
                return store.findConfirmed(orderId);
            }
        };
        ConfirmOrders confirm = new ConfirmOrders(colliding, new StrictOrderNumberAllocator(store), publisher, clock,
                pauses::add);
        PendingOrder order = TestOrders.pending(1);

        BatchResult result = confirm.confirm(List.of(message("only", order)));

        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(pauses).as("one jittered wait per collision, within 5 ms then 10 ms").hasSize(2)
                .satisfies(p -> assertThat(p.get(0)).isBetween(0L, 5L), p -> assertThat(p.get(1)).isBetween(0L, 10L));
    }

    @Test
    void confirm_whenEveryClaimIsStale_givesUpAndLeavesMessageForRetry() {
        confirmOrders.confirm(List.of(message("first", TestOrders.pending(1))));
        List<NumberClaim> stale = Collections.nCopies(ConfirmOrders.MAX_CLAIM_ATTEMPTS,
                new NumberClaim.Conditional(new OrderNumber(1), 0));
        ScriptedOrderNumberAllocator allocator = new ScriptedOrderNumberAllocator(stale, new StrictOrderNumberAllocator(store));
        ConfirmOrders confirm = new ConfirmOrders(store, allocator, publisher, clock);
        PendingOrder order = TestOrders.pending(2);

        BatchResult exhausted = confirm.confirm(List.of(message("second", order)));

        assertThat(exhausted.failedMessageIds()).containsExactly("second");
        assertThat(allocator.settled()).hasSize(ConfirmOrders.MAX_CLAIM_ATTEMPTS);
        assertThat(store.findConfirmed(order.orderId())).isEmpty();

        BatchResult redelivery = confirm.confirm(List.of(message("second", order)));

        assertThat(redelivery.failedMessageIds()).isEmpty();
        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(2));
    }

    @Test
    void confirm_whenClaimedNumberIsTaken_confirmsWithAnotherNumber() {
        // block mode whose counter lags behind the store (e.g. after a repair): numbers 1 and 2 are taken
        PendingOrder holder1 = TestOrders.pending(101);
        PendingOrder holder2 = TestOrders.pending(102);
        store.preload(new ConfirmedOrder(holder1, new OrderNumber(1), NOW, OrderFingerprint.of(holder1.submission())));
        store.preload(new ConfirmedOrder(holder2, new OrderNumber(2), NOW, OrderFingerprint.of(holder2.submission())));
        ScriptedOrderNumberAllocator allocator =
                new ScriptedOrderNumberAllocator(List.of(), new BlockOrderNumberAllocator(new AtomicLong(), 10));
        ConfirmOrders confirm = new ConfirmOrders(store, allocator, publisher, clock);
        PendingOrder order = TestOrders.pending(1);

        BatchResult result = confirm.confirm(List.of(message("m-1", order)));

        assertThat(result.failedMessageIds()).isEmpty();
        assertThat(stored(order).orderNumber()).isEqualTo(new OrderNumber(3));
        assertThat(allocator.settled()).containsExactly(
                new SaveOutcome.NumberTaken(), new SaveOutcome.NumberTaken(), new SaveOutcome.Saved(stored(order)));
        assertThat(stored(holder1).orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(publisher.accepted()).singleElement()
                .satisfies(e -> assertThat(e.orderNumber()).isEqualTo(new OrderNumber(3)));
    }

    @Test
    void confirm_whenBlockAllocatorMeetsExistingOrder_reusesTheUnusedNumber() {
        AtomicLong blockCounter = new AtomicLong();
        ConfirmOrders confirm = new ConfirmOrders(store, new BlockOrderNumberAllocator(blockCounter, 10), publisher, clock);
        PendingOrder first = TestOrders.pending(1);
        PendingOrder second = TestOrders.pending(2);

        confirm.confirm(List.of(message("a", first), message("a-again", first), message("b", second)));

        assertThat(stored(first).orderNumber()).isEqualTo(new OrderNumber(1));
        assertThat(stored(second).orderNumber()).isEqualTo(new OrderNumber(2));
        assertThat(blockCounter.get()).isEqualTo(10);
    }

    // ---------------------------------------------------------------- concurrency

    @Nested
    class Concurrency {
        private static final int WORKERS = 8;
        private static final int ORDERS = 200;
        private static final int BATCH_SIZE = 10;
        private static final int MAX_ROUNDS = 50;

        /** Runs {@code WORKERS} workers that each receive every order once, in its own shuffled order. */
        private List<BatchResult> runWorkers(Function<Integer, OrderNumberAllocator> allocatorForWorker) throws Exception {
            List<PendingOrder> orders = orders(ORDERS);
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<List<BatchResult>>> futures = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int worker = w;
                    ConfirmOrders confirm = new ConfirmOrders(store, allocatorForWorker.apply(worker), publisher, clock);
                    List<QueuedOrder> inbox = new ArrayList<>();
                    for (PendingOrder o : orders) {
                        inbox.add(message("w" + worker + "-" + o.orderId(), o));
                    }
                    Collections.shuffle(inbox, new Random(worker));
                    futures.add(pool.submit(() -> {
                        start.await();
                        return drain(confirm, inbox);
                    }));
                }
                start.countDown();
                List<BatchResult> results = new ArrayList<>();
                for (Future<List<BatchResult>> f : futures) {
                    results.addAll(f.get(2, TimeUnit.MINUTES));
                }
                return results;
            } finally {
                pool.shutdownNow();
            }
        }

        /** Like SQS: failed messages come back until they succeed (bounded, so a livelock fails the test). */
        private List<BatchResult> drain(ConfirmOrders confirm, List<QueuedOrder> inbox) {
            List<BatchResult> results = new ArrayList<>();
            Deque<QueuedOrder> queue = new ArrayDeque<>(inbox);
            for (int round = 0; !queue.isEmpty(); round++) {
                if (round > MAX_ROUNDS * ORDERS / BATCH_SIZE) {
                    throw new AssertionError("messages still failing after " + round + " batches: " + queue.size());
                }
                List<QueuedOrder> batch = new ArrayList<>();
                while (batch.size() < BATCH_SIZE && !queue.isEmpty()) {
                    batch.add(queue.pollFirst());
                }
                BatchResult result = confirm.confirm(batch);
                results.add(result);
                Set<String> failed = Set.copyOf(result.failedMessageIds());
                batch.stream().filter(m -> failed.contains(m.messageId())).forEach(queue::addLast);
            }
            return results;
        }

        private void assertEveryOrderHasExactlyOneNumberAndConsistentEvents(List<BatchResult> results) {
            List<PendingOrder> orders = orders(ORDERS);
            assertThat(store.orders()).hasSize(ORDERS)
                    .containsOnlyKeys(orders.stream().map(PendingOrder::orderId).toList());
            assertThat(store.owners()).hasSize(ORDERS); // one order per number
            assertThat(results.stream().mapToInt(BatchResult::confirmed).sum()).isEqualTo(ORDERS);
            assertThat(results.stream().mapToInt(BatchResult::duplicateDeliveries).sum()).isEqualTo((WORKERS - 1) * ORDERS);
            assertThat(results.stream().mapToInt(BatchResult::conflicts).sum()).isZero();
            assertThat(publisher.accepted()).hasSize(WORKERS * ORDERS);
            assertThat(publisher.accepted()).allSatisfy(e ->
                    assertThat(e).isEqualTo(OrderConfirmed.of(store.findConfirmed(e.orderId()).orElseThrow())));
            assertThat(publisher.accepted().stream().map(OrderConfirmed::orderId).collect(Collectors.toSet())).hasSize(ORDERS);
        }

        @Test
        @Timeout(value = 3, unit = TimeUnit.MINUTES)
        void confirm_whenWorkersRaceOnSameOrdersInStrictMode_numbersAreUniqueAndContiguous() throws Exception {
            List<BatchResult> results = runWorkers(worker -> new StrictOrderNumberAllocator(store));

            assertEveryOrderHasExactlyOneNumberAndConsistentEvents(results);
            assertThat(store.owners().keySet()).extracting(OrderNumber::sequence)
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, ORDERS).boxed().toList());
            assertThat(store.counter()).isEqualTo(ORDERS);
        }

        @Test
        @Timeout(value = 3, unit = TimeUnit.MINUTES)
        void confirm_whenWorkersRaceOnSameOrdersInBlockMode_numbersAreUnique() throws Exception {
            AtomicLong blockCounter = new AtomicLong();

            List<BatchResult> results = runWorkers(worker -> new BlockOrderNumberAllocator(blockCounter, 16));

            assertEveryOrderHasExactlyOneNumberAndConsistentEvents(results);
            assertThat(store.owners().keySet()).extracting(OrderNumber::sequence)
                    .allSatisfy(n -> assertThat(n).isBetween(1L, blockCounter.get()));
        }
    }

    /** A clock the test moves explicitly; never reads the wall clock. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the tests only use UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
