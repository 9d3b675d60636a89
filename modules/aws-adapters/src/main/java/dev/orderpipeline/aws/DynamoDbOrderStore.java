package dev.orderpipeline.aws;

import static dev.orderpipeline.aws.OrdersTable.*;

import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderStore;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Stores confirmed orders in the orders table with one {@code TransactWriteItems} per order:
 * <ol>
 *   <li>put {@code ORDER#id} if absent (returns the stored order if not: a redelivery or a key reuse);</li>
 *   <li>put {@code NUMBER#n} if absent (the database itself guarantees a number is never given twice);</li>
 *   <li>strict mode only: advance {@code COUNTER#order-number} from the expected value to {@code n}.</li>
 * </ol>
 * All or nothing: a number is consumed exactly when an order is stored with it.
 */
public final class DynamoDbOrderStore implements OrderStore {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbOrderStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim) {
        if (!order.orderNumber().equals(claim.number())) {
            throw new IllegalArgumentException("the order must carry the claimed number");
        }
        List<TransactWriteItem> items = new ArrayList<>(3);
        items.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(tableName)
                .item(toItem(order))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build());
        items.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(tableName)
                .item(Map.of(
                        PK, s(numberKey(claim.number().sequence())),
                        KIND, s("NUMBER"),
                        ORDER_ID, s(order.orderId().value())))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build()).build());
        if (claim instanceof NumberClaim.Conditional conditional) {
            items.add(TransactWriteItem.builder().update(counterAdvance(conditional)).build());
        }
        try {
            dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
            return new SaveOutcome.Saved(order);
        } catch (TransactionCanceledException e) {
            return cancelled(e);
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            throw new OrderStoreUnavailableException("could not store order " + order.orderId(), e);
        }
    }

    @Override
    public Optional<ConfirmedOrder> findConfirmed(OrderId orderId) {
        try {
            GetItemResponse response = dynamoDb.getItem(GetItemRequest.builder()
                    .tableName(tableName)
                    .key(Map.of(PK, s(orderKey(orderId.value()))))
                    .consistentRead(true)
                    .build());
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item())) : Optional.empty();
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            throw new OrderStoreUnavailableException("could not read order " + orderId, e);
        }
    }

    private Update counterAdvance(NumberClaim.Conditional claim) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":next", n(claim.number().sequence()));
        values.put(":before", n(claim.counterBefore()));
        values.put(":kind", s("COUNTER"));
        Map<String, String> names = new HashMap<>(Map.of("#last", COUNTER_LAST, "#kind", KIND));
        String condition = "#last = :before";
        if (claim.counterBefore() == 0) {
            condition = "attribute_not_exists(#pk) OR #last = :before";
            names.put("#pk", PK);
        }
        return Update.builder()
                .tableName(tableName)
                .key(Map.of(PK, s(COUNTER_KEY)))
                .updateExpression("SET #last = :next, #kind = :kind")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    private SaveOutcome cancelled(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        if (reasons.isEmpty()) {
            throw new OrderStoreUnavailableException("transaction cancelled without reasons", e);
        }
        if (isConditionFailure(reasons, 0)) {
            Map<String, AttributeValue> existing = reasons.get(0).item();
            if (existing == null || existing.isEmpty()) {
                throw new OrderStoreUnavailableException("order exists but DynamoDB returned no item", e);
            }
            return new SaveOutcome.AlreadyExists(fromItem(existing));
        }
        if (isConditionFailure(reasons, 2)) {
            Map<String, AttributeValue> counter = reasons.get(2).item();
            long now = counter != null && counter.containsKey(COUNTER_LAST) ? Long.parseLong(counter.get(COUNTER_LAST).n()) : 0L;
            return new SaveOutcome.ClaimStale(now);
        }
        if (isConditionFailure(reasons, 1)) {
            return new SaveOutcome.NumberTaken();
        }
        for (CancellationReason reason : reasons) {
            if ("TransactionConflict".equals(reason.code())) {
                return new SaveOutcome.Contended();
            }
        }
        throw new OrderStoreUnavailableException("transaction cancelled: " + codes(reasons), e);
    }

    private static boolean isConditionFailure(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static String codes(List<CancellationReason> reasons) {
        List<String> codes = new ArrayList<>();
        reasons.forEach(r -> codes.add(r.code()));
        return codes.toString();
    }

    /** Attribute naming the layout of a stored order item; items written before it existed are version 1. */
    static final String ITEM_VERSION = "itemVersion";
    /** The layout {@link #toItem} writes and {@link #fromItem} reads. A new layout gets a new number; old ones stay readable. */
    static final int CURRENT_ITEM_VERSION = 1;

    static Map<String, AttributeValue> toItem(ConfirmedOrder order) {
        PendingOrder pending = order.order();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(orderKey(pending.orderId().value())));
        item.put(KIND, s("ORDER"));
        item.put(ORDER_ID, s(pending.orderId().value()));
        item.put(ORDER_NUMBER, n(order.orderNumber().sequence()));
        item.put(ORDER_NUMBER_TEXT, s(order.orderNumber().toString()));
        item.put(STATUS, s(STATUS_CONFIRMED));
        item.put(FINGERPRINT, s(order.fingerprint()));
        item.put(SUBMITTED_AT, s(pending.submittedAt().toString()));
        item.put(CONFIRMED_AT, s(order.confirmedAt().toString()));
        item.put(ORDER, s(OrderJson.write(OrderSubmissionJson.write(pending.submission()))));
        item.put(ITEM_VERSION, n(CURRENT_ITEM_VERSION));
        return item;
    }

    /**
     * Reads a stored order as it was stored: no admission rule of today (currency table, text limits) is applied,
     * so a GET or a redelivery of an order confirmed under older, looser rules keeps working after any tightening.
     */
    static ConfirmedOrder fromItem(Map<String, AttributeValue> item) {
        AttributeValue version = item.get(ITEM_VERSION);
        int itemVersion = version == null ? 1 : Integer.parseInt(version.n());
        if (itemVersion > CURRENT_ITEM_VERSION) {
            throw new IllegalStateException("stored order item version " + itemVersion + " is newer than this code reads ("
                    + CURRENT_ITEM_VERSION + "); deploy the newer reader first");
        }
        PendingOrder pending = new PendingOrder(
                new OrderId(item.get(ORDER_ID).s()),
                Instant.parse(item.get(SUBMITTED_AT).s()),
                OrderSubmissionJson.readStored(OrderJson.parse(item.get(ORDER).s())));
        return new ConfirmedOrder(pending, new OrderNumber(Long.parseLong(item.get(ORDER_NUMBER).n())),
                Instant.parse(item.get(CONFIRMED_AT).s()), item.get(FINGERPRINT).s());
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
