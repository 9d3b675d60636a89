package dev.orderpipeline.bench.coldstart.probe;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * The floor for confirmation, on the same classpath: build the DynamoDB and EventBridge clients, then per invocation
 * one TransactWriteItems of the strict shape (order put, number guard put, counter update) and one PutEvents. The
 * counter is a separate item, so the probe never races the real one.
 */
public final class ReferenceConfirmationProbe {
    private ReferenceConfirmationProbe() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        long spawn = Long.parseLong(args[0]);
        Map<String, String> a = ProbeSupport.args(args);
        Region region = Region.of(System.getenv("AWS_REGION"));
        SdkHttpClient http = UrlConnectionHttpClient.builder().build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().region(region).httpClient(http).build();
        EventBridgeClient eventBridge = EventBridgeClient.builder().region(region).httpClient(http).build();
        long constructed = System.nanoTime();
        String table = System.getenv("ORDERS_TABLE");
        String bus = System.getenv("EVENT_BUS_NAME");
        confirm(dynamoDb, eventBridge, table, bus, ProbeSupport.read(a.get("message1")));
        long firstDone = System.nanoTime();
        confirm(dynamoDb, eventBridge, table, bus, ProbeSupport.read(a.get("message2")));
        long secondDone = System.nanoTime();
        ProbeSupport.report("reference-confirmation", spawn, main, constructed, constructed, firstDone, secondDone, "null", "ok");
        System.exit(0);
    }

    private static void confirm(DynamoDbClient dynamoDb, EventBridgeClient eventBridge, String table, String bus, String message) {
        String id = UUID.randomUUID().toString();
        String now = Instant.now().toString();
        long number = System.nanoTime() & 0xFFFFFFFFFFL;
        Map<String, AttributeValue> order = new HashMap<>();
        order.put("pk", s("ORDER#" + id));
        order.put("kind", s("ORDER"));
        order.put("orderId", s(id));
        order.put("orderNumber", AttributeValue.builder().n(Long.toString(number)).build());
        order.put("status", s("CONFIRMED"));
        order.put("submittedAt", s(now));
        order.put("confirmedAt", s(now));
        order.put("order", s(message));
        dynamoDb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(order)
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table)
                        .item(Map.of("pk", s("NUMBER#reference-" + number), "orderId", s(id)))
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(Map.of("pk", s("COUNTER#coldstart-reference")))
                        .updateExpression("SET #last = :n").expressionAttributeNames(Map.of("#last", "last"))
                        .expressionAttributeValues(Map.of(":n", AttributeValue.builder().n(Long.toString(number)).build()))
                        .build()).build()));
        eventBridge.putEvents(b -> b.entries(List.of(PutEventsRequestEntry.builder().eventBusName(bus)
                .source("bench-reference").detailType("OrderConfirmed")
                .detail("{\"orderId\":\"" + id + "\",\"order\":" + message + "}").build())));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }
}
