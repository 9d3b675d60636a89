package dev.orderpipeline.domain;

import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.ShippingAddress;
import dev.orderpipeline.domain.model.Sku;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import dev.orderpipeline.domain.model.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Builders for valid domain objects, shared by the unit tests. Every value is deterministic. */
public final class TestOrders {
    public static final Currency EUR = Currency.of("EUR");
    public static final Currency JPY = Currency.of("JPY");
    public static final Currency BHD = Currency.of("BHD");
    public static final Instant SUBMITTED_AT = Instant.parse("2026-11-26T10:00:00.123Z");

    private TestOrders() {
    }

    public static Money money(Currency currency, String amount) {
        return new Money(currency, new BigDecimal(amount));
    }

    public static Money eur(String amount) {
        return money(EUR, amount);
    }

    public static OrderLine line(String sku, int quantity, Money unitPrice) {
        return new OrderLine(new Sku(sku), quantity, unitPrice);
    }

    public static ShippingAddress address() {
        return new ShippingAddress("Ada Lovelace", "12 St James's Square", null, "London", null, "SW1Y 4JH", "GB");
    }

    public static Map<String, String> attributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("giftWrap", "yes");
        attributes.put("channel", "web");
        return attributes;
    }

    /** EUR, two lines (2 x 12.50 + 1 x 0.99 = 25.99), a shipping address and two attributes. */
    public static OrderSubmission submission() {
        return submission("cust-42");
    }

    public static OrderSubmission submission(String customerId) {
        return new OrderSubmission(new CustomerId(customerId), EUR,
                List.of(line("SKU-1", 2, eur("12.50")), line("SKU-2", 1, eur("0.99"))),
                Optional.of(address()), attributes());
    }

    public static OrderSubmission submission(Currency currency, OrderLine... lines) {
        return new OrderSubmission(new CustomerId("cust-42"), currency, List.of(lines), Optional.empty(), Map.of());
    }

    /** A deterministic order id per index, so that tests can name orders without randomness. */
    public static OrderId orderId(int index) {
        return new OrderId(UUID.nameUUIDFromBytes(("test-order-" + index).getBytes(StandardCharsets.UTF_8)).toString());
    }

    public static PendingOrder pending(int index) {
        return new PendingOrder(orderId(index), SUBMITTED_AT, submission("cust-" + index));
    }

    public static PendingOrder pending(OrderId id, OrderSubmission submission) {
        return new PendingOrder(id, SUBMITTED_AT, submission);
    }
}
