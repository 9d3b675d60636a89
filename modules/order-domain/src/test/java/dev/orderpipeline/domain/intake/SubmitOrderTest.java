package dev.orderpipeline.domain.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import dev.orderpipeline.domain.TestOrders;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.Sku;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.IdempotencyRecords;
import dev.orderpipeline.domain.port.OrderLookup;
import dev.orderpipeline.domain.port.OrderQueue;
import dev.orderpipeline.domain.port.OrderQueueUnavailableException;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class SubmitOrderTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final OrderSubmission SUBMISSION = TestOrders.submission();
    private static final IdempotencyKey KEY = new IdempotencyKey("retry-key-1");

    private OrderQueue queue;
    private OrderLookup lookup;
    private InMemoryIdempotencyRecords records;
    private SubmitOrder submitOrder;

    @BeforeEach
    void setUp() {
        queue = mock(OrderQueue.class);
        lookup = mock(OrderLookup.class);
        records = new InMemoryIdempotencyRecords();
        submitOrder = at(NOW);
    }

    /** The same use case over the same queue, lookup and records, with the clock at {@code now}. */
    private SubmitOrder at(Instant now) {
        return new SubmitOrder(queue, lookup, records, Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static OrderSubmission otherContent() {
        return new OrderSubmission(SUBMISSION.customerId(), SUBMISSION.currency(),
                List.of(new OrderLine(new Sku("OTHER-1"), 1, SUBMISSION.lines().get(0).unitPrice())), Optional.empty(), Map.of());
    }

    @Test
    void submit_whenQueueAcknowledges_enqueuesExactlyOnceWithCorrelationId() {
        PendingOrder accepted = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-123");

        ArgumentCaptor<PendingOrder> enqueued = ArgumentCaptor.forClass(PendingOrder.class);
        verify(queue, times(1)).enqueue(enqueued.capture(), eq("corr-123"));
        verifyNoMoreInteractions(queue);
        verify(lookup).findConfirmed(OrderId.fromIdempotencyKey(SUBMISSION.customerId(), KEY));
        assertThat(enqueued.getValue()).isEqualTo(accepted);
    }

    @Test
    void submit_whenQueueAcknowledges_returnsOrderStampedWithClockAndSubmission() {
        PendingOrder accepted = submitOrder.submit(SUBMISSION, Optional.empty(), "corr-123");

        assertThat(accepted.submittedAt()).isEqualTo(NOW);
        assertThat(accepted.submission()).isEqualTo(SUBMISSION);
    }

    @Test
    void submit_whenIdempotencyKeyIsGiven_derivesIdFromCustomerAndKey() {
        PendingOrder accepted = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        assertThat(accepted.orderId()).isEqualTo(OrderId.fromIdempotencyKey(SUBMISSION.customerId(), KEY));
    }

    @Test
    void submit_whenSameIdempotencyKeyIsRetried_givesSameOrderIdAndSubmittedAtAndEnqueuesEachAttempt() {
        PendingOrder first = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");
        PendingOrder retry = at(NOW.plusSeconds(30)).submit(SUBMISSION, Optional.of(new IdempotencyKey("retry-key-1")), "corr-2");

        assertThat(retry.orderId()).isEqualTo(first.orderId());
        assertThat(retry.submittedAt()).isEqualTo(first.submittedAt()).isEqualTo(NOW);
        ArgumentCaptor<PendingOrder> enqueued = ArgumentCaptor.forClass(PendingOrder.class);
        ArgumentCaptor<String> correlation = ArgumentCaptor.forClass(String.class);
        verify(queue, times(2)).enqueue(enqueued.capture(), correlation.capture());
        assertThat(enqueued.getAllValues()).extracting(PendingOrder::orderId).containsOnly(first.orderId());
        assertThat(correlation.getAllValues()).containsExactly("corr-1", "corr-2");
    }

    @Test
    void submit_whenSameKeyIsUsedByAnotherCustomer_givesDifferentOrderId() {
        PendingOrder alice = submitOrder.submit(TestOrders.submission("alice"), Optional.of(KEY), "corr-1");
        PendingOrder bob = submitOrder.submit(TestOrders.submission("bob"), Optional.of(KEY), "corr-2");

        assertThat(bob.orderId()).isNotEqualTo(alice.orderId());
    }

    @Test
    void submit_whenNoIdempotencyKey_givesDifferentIdEachTime() {
        PendingOrder first = submitOrder.submit(SUBMISSION, Optional.empty(), "corr-1");
        PendingOrder second = submitOrder.submit(SUBMISSION, Optional.empty(), "corr-1");

        assertThat(second.orderId()).isNotEqualTo(first.orderId());
        assertThat(List.of(first.orderId(), second.orderId()))
                .doesNotContain(OrderId.fromIdempotencyKey(SUBMISSION.customerId(), KEY));
    }

    @Test
    void submit_whenQueueIsUnavailable_propagatesAndReportsNothingAccepted() {
        OrderQueueUnavailableException outage = new OrderQueueUnavailableException("queue down", new IOException("timeout"));
        doThrow(outage).when(queue).enqueue(any(), anyString());

        assertThatThrownBy(() -> submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1")).isSameAs(outage);
        verify(queue, times(1)).enqueue(any(), anyString());
        verify(lookup).findConfirmed(OrderId.fromIdempotencyKey(SUBMISSION.customerId(), KEY));
    }

    @Test
    void submit_whenQueueThrowsUnexpectedly_propagatesSameException() {
        IllegalStateException bug = new IllegalStateException("adapter bug");
        doThrow(bug).when(queue).enqueue(any(), anyString());

        assertThatThrownBy(() -> submitOrder.submit(SUBMISSION, Optional.empty(), "corr-1")).isSameAs(bug);
    }

    @Test
    void find_whenOrderIsConfirmed_returnsItFromLookup() {
        PendingOrder pending = TestOrders.pending(TestOrders.orderId(1), SUBMISSION);
        ConfirmedOrder confirmed = new ConfirmedOrder(pending, new OrderNumber(1), NOW, OrderFingerprint.of(SUBMISSION));
        when(lookup.findConfirmed(pending.orderId())).thenReturn(Optional.of(confirmed));

        assertThat(submitOrder.find(pending.orderId())).contains(confirmed);
        verifyNoInteractions(queue);
    }

    @Test
    void find_whenOrderIsUnknown_returnsEmpty() {
        when(lookup.findConfirmed(any())).thenReturn(Optional.empty());

        assertThat(submitOrder.find(TestOrders.orderId(2))).isEmpty();
    }

    @Test
    void find_whenStoreIsUnavailable_propagates() {
        OrderStoreUnavailableException outage = new OrderStoreUnavailableException("table down", new IOException());
        when(lookup.findConfirmed(any())).thenThrow(outage);

        assertThatThrownBy(() -> submitOrder.find(TestOrders.orderId(3))).isSameAs(outage);
    }

    @Test
    void submit_whenKeyNamesAConfirmedOrderWithOtherContent_rejectsAndEnqueuesNothing() {
        OrderId id = OrderId.fromIdempotencyKey(SUBMISSION.customerId(), KEY);
        ConfirmedOrder stored = new ConfirmedOrder(new PendingOrder(id, NOW, otherContent()), new OrderNumber(7),
                NOW, OrderFingerprint.of(otherContent()));
        when(lookup.findConfirmed(id)).thenReturn(Optional.of(stored));

        assertThatThrownBy(() -> submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1"))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        verifyNoInteractions(queue);
        assertThat(records.stored()).isEmpty();
    }

    @Test
    void submit_whenKeyNamesAConfirmedOrderWithTheSameContent_answersTheFirstAcceptanceWithoutEnqueueing() {
        OrderId id = OrderId.fromIdempotencyKey(SUBMISSION.customerId(), KEY);
        ConfirmedOrder stored = new ConfirmedOrder(new PendingOrder(id, NOW.minusSeconds(60), SUBMISSION),
                new OrderNumber(7), NOW, OrderFingerprint.of(SUBMISSION));
        when(lookup.findConfirmed(id)).thenReturn(Optional.of(stored));

        PendingOrder accepted = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        assertThat(accepted.orderId()).isEqualTo(id);
        assertThat(accepted.submittedAt()).isEqualTo(NOW.minusSeconds(60));
        verifyNoInteractions(queue);
    }

    @Test
    void submit_whenTheConfirmedCheckCannotReachTheStore_letsTheRecordDecide() {
        when(lookup.findConfirmed(any())).thenThrow(new OrderStoreUnavailableException("down", null));

        submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        verify(queue).enqueue(any(), eq("corr-1"));
        assertThat(records.stored()).hasSize(1);
    }

    @Test
    void submit_whenKeyIsFirstUsed_claimsItWithTheFingerprintUntilTheOrderCanNoLongerBePending() {
        PendingOrder accepted = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        assertThat(records.stored()).containsExactly(Map.entry(accepted.orderId(), new IdempotencyRecord(
                accepted.orderId(), OrderFingerprint.of(SUBMISSION), NOW, NOW.plus(Duration.ofDays(14)))));
    }

    @Test
    void submit_whenTheWindowIsLongerThanAnOrderCanBePending_keepsTheRecordForTheWindow() {
        SubmitOrder thirtyDays = new SubmitOrder(queue, lookup, records, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));

        PendingOrder accepted = thirtyDays.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        assertThat(records.stored().get(accepted.orderId()).expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void submit_whenTheWindowHasPassedButTheFirstOrderMayStillBeInTheDeadLetterQueue_refusesOtherContent() {
        PendingOrder first = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1"); // never confirmed: in the DLQ
        Instant dayLater = NOW.plus(Duration.ofHours(25));

        assertThatThrownBy(() -> at(dayLater).submit(otherContent(), Optional.of(KEY), "corr-2"))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(at(dayLater).submit(SUBMISSION, Optional.of(KEY), "corr-3")).isEqualTo(first);
    }

    @Test
    void submit_whenKeyIsInFlightWithOtherContent_rejectsAtOnceAndEnqueuesOnlyTheFirst() {
        PendingOrder first = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        assertThatThrownBy(() -> at(NOW.plusSeconds(1)).submit(otherContent(), Optional.of(KEY), "corr-2"))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        ArgumentCaptor<PendingOrder> enqueued = ArgumentCaptor.forClass(PendingOrder.class);
        verify(queue, times(1)).enqueue(enqueued.capture(), anyString());
        assertThat(enqueued.getValue()).isEqualTo(first);
    }

    @Test
    void submit_whenTheFirstAttemptClaimedTheKeyButWasNotEnqueued_theRetryEnqueuesIt() {
        doThrow(new OrderQueueUnavailableException("queue down", new IOException())).doNothing()
                .when(queue).enqueue(any(), anyString());
        assertThatThrownBy(() -> submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1"))
                .isInstanceOf(OrderQueueUnavailableException.class);

        PendingOrder retry = at(NOW.plusSeconds(5)).submit(SUBMISSION, Optional.of(KEY), "corr-2");

        assertThat(retry.submittedAt()).isEqualTo(NOW);
        verify(queue, times(2)).enqueue(any(), anyString());
    }

    @Test
    void submit_whenTheKeyCannotBeClaimed_propagatesAndEnqueuesNothing() {
        IdempotencyRecords down = (record, now) -> {
            throw new OrderStoreUnavailableException("throttled", new IOException());
        };
        SubmitOrder submit = new SubmitOrder(queue, lookup, down, Duration.ofHours(24), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThatThrownBy(() -> submit.submit(SUBMISSION, Optional.of(KEY), "corr-1"))
                .isInstanceOf(OrderStoreUnavailableException.class);
        verifyNoInteractions(queue);
    }

    @Test
    void submit_whenTheKeysRecordHasExpired_acceptsOtherContentAsANewSubmission() {
        submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");
        Instant later = NOW.plus(Duration.ofDays(14)).plusSeconds(1); // no message of the first order can be left

        PendingOrder reused = at(later).submit(otherContent(), Optional.of(KEY), "corr-2");

        assertThat(reused.submittedAt()).isEqualTo(later);
        assertThat(records.stored().get(reused.orderId()).fingerprint()).isEqualTo(OrderFingerprint.of(otherContent()));
    }

    @Test
    void submit_whenManyRequestsRaceOnOneKey_exactlyOneContentIsAccepted() throws Exception {
        int requests = 32;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> outcomes = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < requests; i++) {
                OrderSubmission content = new OrderSubmission(SUBMISSION.customerId(), SUBMISSION.currency(),
                        List.of(new OrderLine(new Sku("SKU-" + i), 1, SUBMISSION.lines().get(0).unitPrice())), Optional.empty(), Map.of());
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        submitOrder.submit(content, Optional.of(KEY), "corr");
                        return true;
                    } catch (IdempotencyKeyReusedException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int accepted = 0;
            for (var outcome : outcomes) {
                accepted += outcome.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(1);
            verify(queue, times(1)).enqueue(any(), anyString());
        } finally {
            pool.shutdownNow();
        }
    }
}
