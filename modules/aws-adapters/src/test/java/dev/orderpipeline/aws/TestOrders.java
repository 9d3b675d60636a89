package dev.orderpipeline.aws;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.Sku;
import java.math.BigDecimal;
import java.time.Instant;
import dev.orderpipeline.domain.model.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Orders for the adapters' request-level tests. */
final class TestOrders {
    private static final Currency EUR = Currency.of("EUR");

    private TestOrders() {
    }

    static PendingOrder pending() {
        return new PendingOrder(OrderId.random(), Instant.parse("2026-11-26T10:00:00Z"), new OrderSubmission(
                new CustomerId("c-1"), EUR, List.of(new OrderLine(new Sku("BOOK-1"), 2, new Money(EUR, new BigDecimal("12.50")))),
                Optional.empty(), Map.of()));
    }

    static ConfirmedOrder confirmed(long number) {
        return new ConfirmedOrder(pending(), new OrderNumber(number), Instant.parse("2026-11-26T10:00:01Z"), "fingerprint-1");
    }

    static OrderConfirmed event(ConfirmedOrder order) {
        return OrderConfirmed.of(order);
    }
}
