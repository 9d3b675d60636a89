package dev.orderpipeline.history;

import dev.orderpipeline.events.OrderConfirmedV1;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The history in DynamoDB: one item per customer holding its {@code orderNumbers} (a string set) and its latest order
 * ({@code latest*}). An event costs one conditional {@code UpdateItem} in the common case (1 write unit while the
 * customer item is under 1 KB):
 * <ol>
 *   <li>{@code SET latest* = this order ADD orderNumbers} if {@code attribute_not_exists(latestConfirmedAt) OR
 *       latestConfirmedAt < :at}. Success is {@code RECORDED}, and cannot be a duplicate: the order's number is in the
 *       set only if its event was recorded before, and then {@code latestConfirmedAt} is at least its
 *       {@code confirmedAt} (latest only moves forward; every copy of one event is identical), so the condition would
 *       have failed.</li>
 *   <li>The condition failed: the event is not newer than the latest (an older one arriving late, or a repeat). The
 *       failure returns the item ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}, no read units): if its set holds
 *       the number, {@code DUPLICATE} and nothing is written; otherwise {@code ADD} the number without a condition (a
 *       set ignores a second copy), leaving latest on the newer order: {@code RECORDED}, two writes in all.</li>
 * </ol>
 * Two concurrent deliveries of one late event can both find the number missing and both report {@code RECORDED}; the
 * history is still right, so the duplicate count is a metric, not a guarantee. Items written by earlier versions stay
 * readable: the customer items have the same attributes, and their {@code EVENT#<eventId>} markers are ignored.
 * Calls: UpdateItem; GetItem (consistent) only when a condition failure comes back without the item.
 */
public final class DynamoDbOrderHistoryStore implements OrderHistoryStore {
    private static final String ORDER_NUMBERS = "orderNumbers";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbOrderHistoryStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Outcome record(OrderConfirmedV1 e) {
        Map<String, AttributeValue> customerKey = Map.of(OrderHistoryTable.PK, s(OrderHistoryTable.CUSTOMER_PREFIX + e.customerId()));
        AttributeValue number = AttributeValue.fromSs(List.of(e.orderNumber()));
        try {
            try {
                dynamoDb.updateItem(UpdateItemRequest.builder().tableName(table).key(customerKey)
                        .updateExpression("SET customerId = :c, latestOrderNumber = :n, latestOrderId = :o,"
                                + " latestTotal = :t, latestCurrency = :cur, latestConfirmedAt = :at ADD " + ORDER_NUMBERS + " :ns")
                        .conditionExpression("attribute_not_exists(latestConfirmedAt) OR latestConfirmedAt < :at")
                        .expressionAttributeValues(Map.of(
                                ":c", s(e.customerId()), ":n", s(e.orderNumber()), ":o", s(e.orderId()),
                                ":t", s(e.total().toPlainString()), ":cur", s(e.currency()),
                                ":at", AttributeValue.fromN(Long.toString(e.confirmedAt().toEpochMilli())), ":ns", number))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .build());
                return Outcome.RECORDED;
            } catch (ConditionalCheckFailedException notNewer) {
                Map<String, AttributeValue> current = notNewer.hasItem() ? notNewer.item() : read(customerKey);
                AttributeValue recorded = current.get(ORDER_NUMBERS);
                if (recorded != null && recorded.hasSs() && recorded.ss().contains(e.orderNumber())) {
                    return Outcome.DUPLICATE;
                }
                dynamoDb.updateItem(UpdateItemRequest.builder().tableName(table).key(customerKey)
                        .updateExpression("SET customerId = :c ADD " + ORDER_NUMBERS + " :ns")
                        .expressionAttributeValues(Map.of(":c", s(e.customerId()), ":ns", number))
                        .build());
                return Outcome.RECORDED;
            }
        } catch (SdkException ex) {
            throw new HistoryStoreUnavailableException("history table " + table + " not written: "
                    + ex.getClass().getSimpleName(), ex);
        }
    }

    /** The customer item as it is now; DynamoDB returns it with the condition failure, this is for endpoints that do not. */
    private Map<String, AttributeValue> read(Map<String, AttributeValue> customerKey) {
        return dynamoDb.getItem(GetItemRequest.builder().tableName(table).key(customerKey).consistentRead(true).build()).item();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
