package dev.orderpipeline.domain.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.model.Currency;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.Sku;
import dev.orderpipeline.events.OrderConfirmedV1;
import dev.orderpipeline.events.OrderConfirmedV1Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code detail} of an {@code OrderConfirmed} event, version 1, written through the subscribers' own contract
 * ({@code order-events}: {@link OrderConfirmedV1}), so producer and consumer cannot drift. The JSON Schema is
 * {@code classpath:/schemas/order-confirmed-v1.schema.json} (shipped by order-events); golden files pin the bytes.
 */
public final class OrderConfirmedJson {
    public static final String SCHEMA_RESOURCE = OrderConfirmedV1Json.SCHEMA_RESOURCE;

    private OrderConfirmedJson() {
    }

    public static String write(OrderConfirmed e) {
        return OrderConfirmedV1Json.write(toV1(e));
    }

    /** The event detail as a JSON tree, for callers that embed it (the intake's GET answer). */
    public static ObjectNode toJson(OrderConfirmed e) {
        return OrderConfirmedV1Json.toJson(toV1(e));
    }

    public static OrderConfirmedV1 toV1(OrderConfirmed e) {
        List<OrderConfirmedV1.Line> lines = new ArrayList<>();
        for (OrderLine l : e.lines()) {
            lines.add(new OrderConfirmedV1.Line(l.sku().value(), l.quantity(), l.unitPrice().amount(),
                    l.lineTotal().amount()));
        }
        return new OrderConfirmedV1(e.eventId(), e.orderId().value(), e.orderNumber().toString(),
                e.customerId().value(), e.currency().code(), lines, e.total().amount(), e.submittedAt(),
                e.confirmedAt());
    }

    /** Reads an event detail written by {@link #write}, through the subscribers' reader; for tools and tests. */
    public static OrderConfirmed read(String detail) {
        OrderConfirmedV1 v1 = OrderConfirmedV1Json.read(detail);
        // the scale is the one the amounts were written at, not today's table's
        int scale = v1.total().scale();
        Currency currency = new Currency(v1.currency(), scale);
        List<OrderLine> lines = new ArrayList<>();
        for (OrderConfirmedV1.Line l : v1.lines()) {
            lines.add(new OrderLine(new Sku(l.sku()), l.quantity(),
                    new Money(currency, l.unitPrice().setScale(scale))));
        }
        return new OrderConfirmed(v1.eventId(), new OrderId(v1.orderId()), OrderNumber.parse(v1.orderNumber()),
                new CustomerId(v1.customerId()), currency, lines,
                new Money(currency, v1.total().setScale(scale)), v1.submittedAt(), v1.confirmedAt());
    }
}
