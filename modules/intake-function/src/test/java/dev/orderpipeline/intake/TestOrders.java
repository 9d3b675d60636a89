package dev.orderpipeline.intake;

import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.ShippingAddress;
import dev.orderpipeline.domain.model.Sku;
import java.math.BigDecimal;
import dev.orderpipeline.domain.model.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The orders the recorded events submit, as domain objects, written out independently of the JSON reader. */
final class TestOrders {
    static final Currency EUR = Currency.of("EUR");
    static final Currency JPY = Currency.of("JPY");

    private TestOrders() {
    }

    static Money money(Currency currency, String amount) {
        return new Money(currency, new BigDecimal(amount));
    }

    /** What {@code apigw/post-order-valid.json} and {@code apigw/post-order-idempotency-key.json} submit. */
    static OrderSubmission validEventSubmission() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("giftWrap", "yes");
        attributes.put("channel", "web");
        return new OrderSubmission(new CustomerId("cust-42"), EUR,
                List.of(new OrderLine(new Sku("SKU-1"), 2, money(EUR, "12.50")), new OrderLine(new Sku("SKU-2"), 1, money(EUR, "0.99"))),
                Optional.of(new ShippingAddress("Ada Lovelace", "12 St James's Square", null, "London", null, "SW1Y 4JH", "GB")),
                attributes);
    }

    /** What {@code apigw/post-order-base64.json} submits (after base64 and UTF-8 decoding). */
    static OrderSubmission base64EventSubmission() {
        return new OrderSubmission(new CustomerId("cust-7"), JPY,
                List.of(new OrderLine(new Sku("TEA-MATCHA-100G"), 3, money(JPY, "1200"))),
                Optional.of(new ShippingAddress("José Müller", "Straße des 17. Juni 135", null, "Berlin", null, "10623", "DE")),
                Map.of("note", "Bitte nicht klingeln ☕"));
    }
}
