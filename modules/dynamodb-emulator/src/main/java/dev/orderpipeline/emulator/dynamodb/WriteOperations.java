package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PutItem, UpdateItem and TransactWriteItems. A single-item write runs under the database write lock
 * from reading the current item to storing the result, so a condition is always evaluated against the item it
 * replaces; a transaction marks its items for the time it is in flight (see {@link #transactWriteItems}).
 */
final class WriteOperations {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> RETURN_VALUES =
            Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
    private static final Set<String> CONDITION_MEMBERS = Set.of("TableName", "ConditionExpression",
            "ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnValuesOnConditionCheckFailure");
    private static final int MAX_TRANSACTION_ITEMS = 100;
    /** DynamoDB charges a transactional write two write units per item. */
    private static final int TRANSACTIONAL_WRITE_UNITS = 2;
    /** DynamoDB remembers a ClientRequestToken for ten minutes. */
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);

    private record CompletedTransaction(JsonNode transactItems, Instant completedAt) {
    }

    private final Database database;
    /** Successful transactions by ClientRequestToken, oldest first; guarded by the database write lock. */
    private final Map<String, CompletedTransaction> completedTransactions = new LinkedHashMap<>();
    /** ClientRequestTokens of transactions in flight; guarded by the database write lock. */
    private final Set<String> inFlightTokens = new HashSet<>();

    WriteOperations(Database database) {
        this.database = database;
    }

    ObjectNode putItem(Request request) {
        request.allowOnly(with(CONDITION_MEMBERS, "Item", "ReturnValues", "ReturnConsumedCapacity",
                "ReturnItemCollectionMetrics"));
        String returnValues = oldOrNone(request);
        return singleWrite(ItemWrite.Kind.PUT, request,
                (write, old, updated) -> returnValues.equals("ALL_OLD") ? old : null);
    }

    ObjectNode updateItem(Request request) {
        request.allowOnly(with(CONDITION_MEMBERS, "Key", "UpdateExpression", "ReturnValues", "ReturnConsumedCapacity",
                "ReturnItemCollectionMetrics"));
        String returnValues = request.choice("ReturnValues", "NONE", RETURN_VALUES);
        return singleWrite(ItemWrite.Kind.UPDATE, request, (write, old, updated) -> {
            List<DocumentPath> written = write.update() == null ? List.of() : write.update().paths();
            return switch (returnValues) {
                case "ALL_OLD" -> old;
                case "ALL_NEW" -> updated;
                case "UPDATED_OLD" -> old == null ? null : Projection.apply(old, written);
                case "UPDATED_NEW" -> Projection.apply(updated, written);
                default -> null;
            };
        });
    }

    /** What a single-item write returns as Attributes, given the item before and after it. */
    private interface ReturnedAttributes {
        Map<String, AttributeValue> select(ItemWrite write, Map<String, AttributeValue> old,
                                           Map<String, AttributeValue> updated);
    }

    private ObjectNode singleWrite(ItemWrite.Kind kind, Request request, ReturnedAttributes returned) {
        request.requireNone("ReturnConsumedCapacity");
        request.requireNone("ReturnItemCollectionMetrics");
        String tableName = request.tableName();
        return database.write(() -> {
            ItemWrite write = new ItemWrite(kind, request, database.table(tableName));
            Database.ItemRef ref = ref(write);
            if (database.transactionOn(ref) != null) {
                database.countConflict();
                throw ApiException.transactionConflict();
            }
            if (!database.hasWriteBudget(ref, 1)) {
                database.countThrottle();
                throw ApiException.throughputExceeded(isOnDemand(write.table()));
            }
            Map<String, AttributeValue> old = write.table().get(write.primaryKey());
            Map<String, AttributeValue> updated = write.apply(old);
            database.spendWriteBudget(ref, 1);
            write.store(updated);
            Map<String, AttributeValue> attributes = returned.select(write, old, updated);
            ObjectNode response = JSON.objectNode();
            if (attributes != null && !attributes.isEmpty()) {
                response.set("Attributes", AttributeValue.itemToJson(attributes));
            }
            return response;
        });
    }

    /** PutItem can return only the old item. */
    private static String oldOrNone(Request request) {
        String value = request.choice("ReturnValues", "NONE", RETURN_VALUES);
        if (!value.equals("NONE") && !value.equals("ALL_OLD")) {
            throw ApiException.validation("Return values set to invalid value");
        }
        return value;
    }

    /**
     * All or nothing, in two steps as in DynamoDB. First, under the lock: every item must be free of other
     * transactions in flight (else that item's reason is {@code TransactionConflict}), every condition must hold,
     * and every written item must have write throughput left (else {@code ThrottlingError}, or
     * {@code ProvisionedThroughputExceeded} on a provisioned table); if anything fails, nothing is written and
     * TransactionCanceledException lists one reason per item, in request order. Otherwise the items are marked as
     * held by this transaction, which stays in flight for {@link Contention#transactionHold()}; then, under the lock
     * again, the writes are applied and the marks removed. While marked, an item refuses single writes
     * ({@code TransactionConflictException}) and cancels other transactions; reads see its committed state.
     */
    ObjectNode transactWriteItems(Request request) {
        request.allowOnly(Set.of("TransactItems", "ClientRequestToken", "ReturnConsumedCapacity",
                "ReturnItemCollectionMetrics"));
        request.requireNone("ReturnConsumedCapacity");
        request.requireNone("ReturnItemCollectionMetrics");
        JsonNode transactItems = request.requiredNode("TransactItems");
        if (!transactItems.isArray() || transactItems.isEmpty() || transactItems.size() > MAX_TRANSACTION_ITEMS) {
            throw ApiException.validation("1 validation error detected: Value at 'transactItems' failed to satisfy "
                    + "constraint: Member must have length less than or equal to " + MAX_TRANSACTION_ITEMS
                    + " and greater than or equal to 1");
        }
        String token = request.string("ClientRequestToken");
        Object transaction = new Object();
        List<ItemWrite> writes = database.exclusive(() -> prepare(transaction, token, transactItems));
        if (writes.isEmpty()) {
            return JSON.objectNode(); // a repeated token: done before
        }
        boolean released = false;
        try {
            hold(database.contention().transactionHold());
            ObjectNode response = database.write(() -> {
                for (ItemWrite write : writes) {
                    write.store(write.apply(write.table().get(write.primaryKey())));
                }
                if (token != null) {
                    completedTransactions.put(token, new CompletedTransaction(transactItems, Instant.now()));
                }
                release(transaction, token, writes);
                return JSON.objectNode();
            });
            released = true;
            return response;
        } finally {
            if (!released) {
                database.exclusive(() -> release(transaction, token, writes));
            }
        }
    }

    /** Ends a transaction's flight: its items and token are free again. Under the lock. */
    private Void release(Object transaction, String token, List<ItemWrite> writes) {
        writes.forEach(write -> database.unmark(ref(write), transaction));
        if (token != null) {
            inFlightTokens.remove(token);
        }
        return null;
    }

    /** The check-and-mark step; returns the writes to commit, or none for a repeated token. Under the lock. */
    private List<ItemWrite> prepare(Object transaction, String token, JsonNode transactItems) {
        if (token != null && inFlightTokens.contains(token)) {
            throw ApiException.transactionInProgress();
        }
        if (token != null && isRepeated(token, transactItems)) {
            return List.of();
        }
        List<ItemWrite> writes = new ArrayList<>();
        Set<Database.ItemRef> items = new HashSet<>();
        for (JsonNode element : transactItems) {
            ItemWrite write = transactItem(element);
            if (!items.add(ref(write))) {
                throw ApiException.validation("Transaction request cannot include multiple operations on one item");
            }
            writes.add(write);
        }
        ArrayNode reasons = JSON.arrayNode();
        List<String> codes = new ArrayList<>();
        for (ItemWrite write : writes) {
            ObjectNode reason = reasons.addObject();
            if (database.transactionOn(ref(write)) != null) {
                reason.put("Code", "TransactionConflict");
                reason.put("Message", "Transaction is ongoing for the item");
            } else {
                try {
                    write.apply(write.table().get(write.primaryKey()));
                    reason.put("Code", "None");
                } catch (ApiException e) {
                    boolean conditionFailed = e.code().equals("ConditionalCheckFailedException");
                    reason.put("Code", conditionFailed ? "ConditionalCheckFailed" : "ValidationError");
                    reason.put("Message", e.getMessage());
                    if (e.body().has("Item")) {
                        reason.set("Item", e.body().get("Item"));
                    }
                }
            }
            codes.add(reason.get("Code").textValue());
        }
        if (codes.stream().allMatch("None"::equals)) {
            for (int i = 0; i < writes.size(); i++) {
                ItemWrite write = writes.get(i);
                if (write.writes() && !database.hasWriteBudget(ref(write), TRANSACTIONAL_WRITE_UNITS)) {
                    boolean onDemand = isOnDemand(write.table());
                    ObjectNode reason = (ObjectNode) reasons.get(i);
                    reason.put("Code", onDemand ? "ThrottlingError" : "ProvisionedThroughputExceeded");
                    reason.put("Message", ApiException.throttlingMessage(onDemand));
                    codes.set(i, reason.get("Code").textValue());
                }
            }
        }
        if (codes.contains("TransactionConflict")) {
            database.countConflict();
        }
        if (codes.contains("ThrottlingError") || codes.contains("ProvisionedThroughputExceeded")) {
            database.countThrottle();
        }
        if (codes.stream().anyMatch(code -> !code.equals("None"))) {
            ObjectNode members = JSON.objectNode();
            members.set("CancellationReasons", reasons);
            throw ApiException.transactionCanceled("Transaction cancelled, please refer cancellation reasons "
                    + "for specific reasons " + codes, members);
        }
        for (ItemWrite write : writes) {
            if (write.writes()) {
                database.spendWriteBudget(ref(write), TRANSACTIONAL_WRITE_UNITS);
            }
            database.mark(ref(write), transaction);
        }
        if (token != null) {
            inFlightTokens.add(token);
        }
        return writes;
    }

    private static void hold(java.time.Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a transaction was in flight", e);
        }
    }

    private static Database.ItemRef ref(ItemWrite write) {
        return new Database.ItemRef(write.table().name(), write.primaryKey());
    }

    private static boolean isOnDemand(Table table) {
        return !"PROVISIONED".equals(table.definition().billingMode());
    }

    private ItemWrite transactItem(JsonNode element) {
        Request wrapper = new Request("TransactWriteItems", element);
        List<String> kinds = new ArrayList<>();
        element.fieldNames().forEachRemaining(kinds::add);
        if (kinds.size() != 1) {
            throw ApiException.validation(
                    "TransactItems can only contain one of Check, Put, Update or Delete");
        }
        String kind = kinds.get(0);
        Set<String> members = switch (kind) {
            case "Put" -> with(CONDITION_MEMBERS, "Item");
            case "Update" -> with(CONDITION_MEMBERS, "Key", "UpdateExpression");
            case "Delete", "ConditionCheck" -> with(CONDITION_MEMBERS, "Key");
            default -> throw ApiException.unsupported("The TransactWriteItems element " + kind);
        };
        Request item = new Request("TransactWriteItems." + kind, wrapper.requiredNode(kind)).allowOnly(members);
        Table table = database.table(item.tableName());
        return switch (kind) {
            case "Put" -> new ItemWrite(ItemWrite.Kind.PUT, item, table);
            case "Update" -> {
                item.requiredString("UpdateExpression");
                yield new ItemWrite(ItemWrite.Kind.UPDATE, item, table);
            }
            case "Delete" -> new ItemWrite(ItemWrite.Kind.DELETE, item, table);
            default -> new ItemWrite(ItemWrite.Kind.CONDITION_CHECK, item, table);
        };
    }

    /**
     * True if a transaction with this token already succeeded with the same items (a retry: it succeeds again
     * without writing); a different request with the same token is refused. Forgets tokens after ten minutes.
     */
    private boolean isRepeated(String token, JsonNode transactItems) {
        Instant expired = Instant.now().minus(TOKEN_LIFETIME);
        for (Iterator<CompletedTransaction> it = completedTransactions.values().iterator(); it.hasNext(); ) {
            if (it.next().completedAt().isAfter(expired)) {
                break;
            }
            it.remove();
        }
        CompletedTransaction previous = completedTransactions.get(token);
        if (previous == null) {
            return false;
        }
        if (!previous.transactItems().equals(transactItems)) {
            throw ApiException.idempotentParameterMismatch();
        }
        return true;
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> all = new HashSet<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
