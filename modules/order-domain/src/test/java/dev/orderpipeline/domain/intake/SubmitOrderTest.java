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
import dev.orderpipeline.domain.port.OrderLookup;
import dev.orderpipeline.domain.port.OrderQueue;
import dev.orderpipeline.domain.port.OrderQueueUnavailableException;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.io.IOException;
import java.time.Clock;
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
    private SubmitOrder submitOrder;

    @BeforeEach
    void setUp() {
        queue = mock(OrderQueue.class);
        lookup = mock(OrderLookup.class);
        submitOrder = new SubmitOrder(queue, lookup, Clock.fixed(NOW, ZoneOffset.UTC));
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
    void submit_whenSameIdempotencyKeyIsRetried_givesSameOrderIdAndEnqueuesEachAttempt() {
        PendingOrder first = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");
        PendingOrder retry = submitOrder.submit(SUBMISSION, Optional.of(new IdempotencyKey("retry-key-1")), "corr-2");

        assertThat(retry.orderId()).isEqualTo(first.orderId());
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
        OrderSubmission other = new OrderSubmission(SUBMISSION.customerId(), SUBMISSION.currency(),
                List.of(new OrderLine(new Sku("OTHER-1"), 1,
                        SUBMISSION.lines().get(0).unitPrice())), Optional.empty(), Map.of());
        ConfirmedOrder stored = new ConfirmedOrder(new PendingOrder(id, NOW, other), new OrderNumber(7),
                NOW, OrderFingerprint.of(other));
        when(lookup.findConfirmed(id)).thenReturn(Optional.of(stored));

        assertThatThrownBy(() -> submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1"))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        verifyNoInteractions(queue);
    }

    @Test
    void submit_whenKeyNamesAConfirmedOrderWithTheSameContent_enqueuesTheRetry() {
        OrderId id = OrderId.fromIdempotencyKey(SUBMISSION.customerId(), KEY);
        ConfirmedOrder stored = new ConfirmedOrder(new PendingOrder(id, NOW.minusSeconds(60), SUBMISSION),
                new OrderNumber(7), NOW, OrderFingerprint.of(SUBMISSION));
        when(lookup.findConfirmed(id)).thenReturn(Optional.of(stored));

        PendingOrder accepted = submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        assertThat(accepted.orderId()).isEqualTo(id);
        verify(queue).enqueue(any(), eq("corr-1"));
    }

    @Test
    void submit_whenTheKeyCheckCannotReachTheStore_stillAcceptsTheOrder() {
        when(lookup.findConfirmed(any())).thenThrow(new OrderStoreUnavailableException("down", null));

        submitOrder.submit(SUBMISSION, Optional.of(KEY), "corr-1");

        verify(queue).enqueue(any(), eq("corr-1"));
    }
}
