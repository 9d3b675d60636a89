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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Stores confirmed orders in the orders table, with one conditional write per order whose shape depends on the claim.
 *
 * <p><b>Strict mode</b> ({@link NumberClaim.Conditional}): one {@code TransactWriteItems}, all or nothing, so a number
 * is consumed exactly when an order is stored with it:
 * <ol>
 *   <li>put {@code ORDER#id} if absent (returns the stored order if not: a redelivery or a key reuse);</li>
 *   <li>put {@code NUMBER#n} if absent (the database itself refuses a number taken before);</li>
 *   <li>advance {@code COUNTER#order-number} from the expected value to {@code n}.</li>
 * </ol>
 *
 * <p><b>Block mode</b> ({@link NumberClaim.Reserved}): one plain {@code PutItem} of {@code ORDER#id} if absent, with
 * {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}: 1 write unit per KB instead of 2 per KB per item of a
 * transaction, and no guard item. The number is already unique when it is claimed: the counter's atomic {@code ADD}
 * gave this worker's allocator a range no other worker got, and the allocator hands each number of it out once (see
 * {@link BlockNumberAllocator}). What the allocator needs from this store is the truth about whether something was
 * written under the number: {@link SaveOutcome.AlreadyExists} only when nothing was, {@link SaveOutcome.Saved} when the
 * order is stored with it, and an exception when it cannot tell.
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
        if (claim instanceof NumberClaim.Reserved) {
            return putReserved(order, claim);
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
            return cancelled(e, order, claim, items.size());
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            throw new OrderStoreUnavailableException("could not store order " + order.orderId(), e);
        }
    }

    /**
     * Block mode's single conditional put. Only a failed condition proves that this call wrote nothing, and only if the
     * order it returns carries another number: the SDK retries a put whose answer was lost (a timeout, a 5xx after the
     * write), and the retry then fails on the order its own first attempt stored, under this very number. Any other
     * failure, even a throttle or a {@code TransactionConflict} (a strict worker's transaction on the same order, when
     * modes are mixed), may follow such a lost attempt, so it is reported as unavailable: the message is retried and
     * the number is never handed out again.
     */
    private SaveOutcome putReserved(ConfirmedOrder order, NumberClaim claim) {
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(toItem(order))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new SaveOutcome.Saved(order);
        } catch (ConditionalCheckFailedException e) {
            ConfirmedOrder stored = e.hasItem() && !e.item().isEmpty() ? fromItem(e.item()) : storedOrder(order, e);
            return stored.orderNumber().equals(claim.number()) ? new SaveOutcome.Saved(stored) : new SaveOutcome.AlreadyExists(stored);
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

    /**
     * Why the transaction was cancelled. Each reason is matched to the item it is about by identity: by the key of
     * the item it returned, else by its position (DynamoDB lists reasons in request order; an endpoint that lists
     * fewer cannot be matched by position). Where a failed condition came without the current item (endpoints may
     * omit {@code ALL_OLD} items in cancellation reasons) or without reasons at all, the answer is read with a
     * consistent read, never guessed.
     *
     * <p>A failed guard means "taken above the counter" only when the counter's own condition was checked. Each item
     * answers for itself, and one held by a transaction in flight answers {@code TransactionConflict} without checking
     * its condition. So a claim that lost its race ({@code n} went to the winner, whose next transaction now holds the
     * counter) comes back as {@code [None, ConditionalCheckFailed, TransactionConflict]}. That is contention: the
     * allocator drops its stale counter and backs off. Reported as a taken number, the allocator would skip to
     * {@code n + 1} still expecting the stale counter: a transaction certain to fail, sent at once without back-off,
     * and again for each number the winner takes meanwhile.
     */
    private SaveOutcome cancelled(TransactionCanceledException e, ConfirmedOrder order, NumberClaim claim, int itemCount) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        Map<Item, CancellationReason> failed = new EnumMap<>(Item.class);
        boolean unmatched = false;
        boolean contended = false;
        boolean counterContended = false;
        for (int i = 0; i < reasons.size(); i++) {
            CancellationReason reason = reasons.get(i);
            Item item = identify(reason.item(), order, claim, reasons.size() == itemCount ? i : -1);
            if ("ConditionalCheckFailed".equals(reason.code())) {
                if (item == null) {
                    unmatched = true;
                } else {
                    failed.put(item, reason);
                }
            } else if (CONTENTION_CODES.contains(reason.code())) {
                contended = true;
                counterContended |= item == Item.COUNTER;
            }
        }
        if (failed.containsKey(Item.ORDER)) {
            Map<String, AttributeValue> existing = failed.get(Item.ORDER).item();
            return new SaveOutcome.AlreadyExists(existing != null && !existing.isEmpty() ? fromItem(existing) : storedOrder(order, e));
        }
        if (failed.containsKey(Item.COUNTER)) {
            Map<String, AttributeValue> counter = failed.get(Item.COUNTER).item();
            return new SaveOutcome.ClaimStale(counter != null && counter.containsKey(COUNTER_LAST)
                    ? Long.parseLong(counter.get(COUNTER_LAST).n()) : readCounter());
        }
        if (unmatched || reasons.isEmpty()) {
            return readWhatFailed(order, claim, e);
        }
        if (failed.containsKey(Item.NUMBER) && !counterContended) {
            return new SaveOutcome.NumberTaken();
        }
        if (contended) {
            return new SaveOutcome.Contended();
        }
        throw new OrderStoreUnavailableException("transaction cancelled: " + codes(reasons), e);
    }

    /** Cancellation codes after which nothing was written and the same write may simply be tried again. */
    private static final Set<String> CONTENTION_CODES =
            Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    /** The items of {@link #saveNew}'s transaction, in request order. */
    private enum Item { ORDER, NUMBER, COUNTER }

    /** The item a reason is about: by the key of the item it returned, else by its request position (-1: unknown). */
    private static Item identify(Map<String, AttributeValue> returned, ConfirmedOrder order, NumberClaim claim, int position) {
        if (returned != null && returned.containsKey(PK)) {
            String key = returned.get(PK).s();
            if (key.equals(orderKey(order.orderId().value()))) {
                return Item.ORDER;
            }
            if (key.equals(numberKey(claim.number().sequence()))) {
                return Item.NUMBER;
            }
            if (key.equals(COUNTER_KEY)) {
                return Item.COUNTER;
            }
        }
        return position >= 0 && position < Item.values().length ? Item.values()[position] : null;
    }

    /** The order's condition failed but the endpoint returned no item: read it. */
    private ConfirmedOrder storedOrder(ConfirmedOrder order, RuntimeException e) {
        return findConfirmed(order.orderId()).orElseThrow(() -> new OrderStoreUnavailableException(
                "order " + order.orderId() + " failed its condition but is not stored", e));
    }

    /** A cancellation whose failed item cannot be told from its reasons: the items themselves say which one it was. */
    private SaveOutcome readWhatFailed(ConfirmedOrder order, NumberClaim claim, TransactionCanceledException e) {
        Optional<ConfirmedOrder> stored = findConfirmed(order.orderId());
        if (stored.isPresent()) {
            return new SaveOutcome.AlreadyExists(stored.get());
        }
        if (claim instanceof NumberClaim.Conditional conditional) {
            long counter = readCounter();
            if (counter != conditional.counterBefore()) {
                return new SaveOutcome.ClaimStale(counter);
            }
        }
        if (exists(numberKey(claim.number().sequence()))) {
            return new SaveOutcome.NumberTaken();
        }
        return new SaveOutcome.Contended(); // every condition holds now: whatever refused it has passed
    }

    /** The counter's current value, read consistently; 0 before the first order. */
    long readCounter() {
        Map<String, AttributeValue> counter = read(COUNTER_KEY, "the order number counter");
        return counter.containsKey(COUNTER_LAST) ? Long.parseLong(counter.get(COUNTER_LAST).n()) : 0L;
    }

    private boolean exists(String key) {
        return !read(key, key).isEmpty();
    }

    private Map<String, AttributeValue> read(String key, String what) {
        try {
            GetItemResponse response = dynamoDb.getItem(GetItemRequest.builder()
                    .tableName(tableName)
                    .key(Map.of(PK, s(key)))
                    .consistentRead(true)
                    .build());
            return response.hasItem() ? response.item() : Map.of();
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            throw new OrderStoreUnavailableException("could not read " + what, e);
        }
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
