package dev.orderpipeline.history;

import dev.orderpipeline.events.OrderConfirmedV1;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The history in DynamoDB. Every write is idempotent and order-independent on its own, so the dedup marker is a
 * saving (and a metric), not the only line of defence — a replay older than the dedup window changes nothing either:
 * <ul>
 *   <li>the order joins the customer's {@code orderNumbers} string set ({@code ADD}: a set ignores a second copy),
 *       atomically with the conditional put of the {@code EVENT#<eventId>} marker;</li>
 *   <li>the customer's {@code latest*} attributes move only forward in {@code confirmedAt} (a condition), so an older
 *       event delivered after a newer one leaves the newer one in place. This write comes first: if the function
 *       crashes between the two, the redelivery repeats it harmlessly and then records the marker.</li>
 * </ul>
 * Calls: UpdateItem (conditional) and TransactWriteItems (Put + Update); nothing else.
 */
public final class DynamoDbOrderHistoryStore implements OrderHistoryStore {
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbOrderHistoryStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Outcome record(OrderConfirmedV1 e, Instant dedupExpiresAt) {
        Map<String, AttributeValue> customerKey = Map.of(OrderHistoryTable.PK, s(OrderHistoryTable.CUSTOMER_PREFIX + e.customerId()));
        try {
            moveLatestForward(e, customerKey);
            return addToHistory(e, customerKey, dedupExpiresAt);
        } catch (SdkException ex) {
            throw new HistoryStoreUnavailableException("history table " + table + " not written: "
                    + ex.getClass().getSimpleName(), ex);
        }
    }

    private void moveLatestForward(OrderConfirmedV1 e, Map<String, AttributeValue> customerKey) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(customerKey)
                    .updateExpression("SET customerId = :c, latestOrderNumber = :n, latestOrderId = :o,"
                            + " latestTotal = :t, latestCurrency = :cur, latestConfirmedAt = :at")
                    .conditionExpression("attribute_not_exists(latestConfirmedAt) OR latestConfirmedAt < :at")
                    .expressionAttributeValues(Map.of(
                            ":c", s(e.customerId()), ":n", s(e.orderNumber()), ":o", s(e.orderId()),
                            ":t", s(e.total().toPlainString()), ":cur", s(e.currency()),
                            ":at", AttributeValue.fromN(Long.toString(e.confirmedAt().toEpochMilli())))));
        } catch (ConditionalCheckFailedException newerIsLatest) {
            // an order confirmed later is already the latest: this (older or repeated) event must not replace it
        }
    }

    private Outcome addToHistory(OrderConfirmedV1 e, Map<String, AttributeValue> customerKey, Instant dedupExpiresAt) {
        Put marker = Put.builder().tableName(table)
                .item(Map.of(OrderHistoryTable.PK, s(OrderHistoryTable.EVENT_PREFIX + e.eventId()),
                        "orderId", s(e.orderId()),
                        OrderHistoryTable.EXPIRES_AT, AttributeValue.fromN(Long.toString(dedupExpiresAt.getEpochSecond()))))
                .conditionExpression("attribute_not_exists(pk)")
                .build();
        Update history = Update.builder().tableName(table).key(customerKey)
                .updateExpression("SET customerId = :c ADD orderNumbers :n")
                .expressionAttributeValues(Map.of(":c", s(e.customerId()), ":n", AttributeValue.fromSs(List.of(e.orderNumber()))))
                .build();
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(marker).build(), TransactWriteItem.builder().update(history).build()));
            return Outcome.RECORDED;
        } catch (TransactionCanceledException ex) {
            List<CancellationReason> reasons = ex.hasCancellationReasons() ? ex.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return Outcome.DUPLICATE;
            }
            throw ex;
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
