package dev.orderpipeline.domain.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.model.Currency;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.Sku;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code detail} of an {@code OrderConfirmed} event, version 1. The contract is the JSON Schema at
 * {@code classpath:/schemas/order-confirmed-v1.schema.json}; a test validates what {@link #write} produces.
 */
public final class OrderConfirmedJson {
    public static final String SCHEMA_RESOURCE = "/schemas/order-confirmed-v1.schema.json";

    private OrderConfirmedJson() {
    }

    public static String write(OrderConfirmed e) {
        return OrderJson.write(toJson(e));
    }

    /** The event detail as a JSON tree, for callers that embed it (the intake's GET answer). */
    public static ObjectNode toJson(OrderConfirmed e) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", OrderConfirmed.SCHEMA_VERSION);
        root.put("eventId", e.eventId());
        root.put("orderId", e.orderId().value());
        root.put("orderNumber", e.orderNumber().toString());
        root.put("customerId", e.customerId().value());
        root.put("currency", e.currency().code());
        root.set("lines", OrderSubmissionJson.linesJson(e.lines(), true));
        root.put("total", e.total().toDecimalString());
        root.put("submittedAt", e.submittedAt().toString());
        root.put("confirmedAt", e.confirmedAt().toString());
        return root;
    }

    /** Reads an event detail written by {@link #write}; for consumers, tools and tests. */
    public static OrderConfirmed read(String detail) {
        JsonNode root = OrderJson.parse(detail);
        // the scale is the one the amounts were written at, not today's table's
        int scale = new BigDecimal(root.get("total").textValue()).scale();
        Currency currency = new Currency(root.get("currency").textValue(), scale);
        List<OrderLine> lines = new ArrayList<>();
        for (JsonNode l : root.get("lines")) {
            lines.add(new OrderLine(new Sku(l.get("sku").textValue()), l.get("quantity").intValue(),
                    new Money(currency, new BigDecimal(l.get("unitPrice").textValue()).setScale(scale))));
        }
        return new OrderConfirmed(root.get("eventId").textValue(), new OrderId(root.get("orderId").textValue()),
                OrderNumber.parse(root.get("orderNumber").textValue()), new CustomerId(root.get("customerId").textValue()),
                currency, lines, new Money(currency, new BigDecimal(root.get("total").textValue()).setScale(scale)),
                Instant.parse(root.get("submittedAt").textValue()), Instant.parse(root.get("confirmedAt").textValue()));
    }
}
