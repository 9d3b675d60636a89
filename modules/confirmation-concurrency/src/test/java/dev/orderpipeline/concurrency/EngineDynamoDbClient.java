package dev.orderpipeline.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.emulator.dynamodb.InProcessEngine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A {@link DynamoDbClient} for the unmodified production adapters that hands each request to the emulator's engine
 * in the calling thread: no HTTP, no sockets, no SDK request pipeline (marshalling, signing, retries) inside the
 * explored region, so the schedules Fray explores are those of the protocol and the engine, not of the SDK.
 *
 * <p><b>Transaction conflicts.</b> DynamoDB cancels a transaction with {@code TransactionConflict} when another
 * transaction on one of its items is in progress, and refuses a single-item write to such an item with
 * {@code TransactionConflictException}. The engine does so itself between checking and writing a transaction's
 * items; this client also announces a transaction's items and yields (a scheduling point) before calling the engine,
 * so the window spans a whole scheduling step, and whoever finds one of its items announced by another transaction
 * in flight is cancelled with that reason. Whether a conflict happens is therefore decided by the schedule, as in
 * DynamoDB.
 *
 * <p><b>Planted bugs.</b> {@link Mutation} rewrites the adapters' requests into a deliberately broken protocol, so
 * the tier can prove that its invariants catch one.
 */
final class EngineDynamoDbClient implements DynamoDbClient {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Deliberately broken variants of the numbering protocol; {@link #NONE} is the product as it is. */
    enum Mutation {
        NONE,
        /** The order is put without {@code attribute_not_exists}: a redelivery overwrites it with a new number. */
        ORDER_PUT_UNCONDITIONAL,
        /** Neither the number guard item nor the counter's expected value is checked: numbers can be given twice. */
        NUMBER_UNCHECKED,
        /**
         * Block mode's reservation as a read and a later write instead of one atomic {@code ADD}: two workers can
         * read the same counter and get the same block. Block mode writes no guard, so nothing else stops it.
         */
        RESERVATION_NOT_ATOMIC
    }

    /** Items of the transactions in flight, shared by every client of one schedule. */
    static final class InFlight {
        private final Map<String, Object> owners = new LinkedHashMap<>();
        private int conflicts;

        synchronized int conflictCount() {
            return conflicts;
        }
    }

    private final InProcessEngine engine;
    private final InFlight inFlight;
    private final Mutation mutation;

    EngineDynamoDbClient(InProcessEngine engine, InFlight inFlight, Mutation mutation) {
        this.engine = engine;
        this.inFlight = inFlight;
        this.mutation = mutation;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        ObjectNode response = call("GetItem", toJson(request));
        GetItemResponse.Builder builder = GetItemResponse.builder();
        if (response.has("Item")) {
            builder.item(item(response.get("Item")));
        }
        return builder.build();
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        refuseIfInTransaction(request.item().get("pk").s());
        ObjectNode json = (ObjectNode) toJson(request);
        if (mutation == Mutation.ORDER_PUT_UNCONDITIONAL) {
            dropCondition(json);
        }
        call("PutItem", json);
        return PutItemResponse.builder().build();
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        String key = request.key().values().iterator().next().s();
        refuseIfInTransaction(key);
        if (mutation == Mutation.RESERVATION_NOT_ATOMIC && request.updateExpression().startsWith("ADD")) {
            return reserveByReadThenWrite(request);
        }
        ObjectNode response = call("UpdateItem", toJson(request));
        UpdateItemResponse.Builder builder = UpdateItemResponse.builder();
        if (response.has("Attributes")) {
            builder.attributes(item(response.get("Attributes")));
        }
        return builder.build();
    }

    /** A single-item write to an item that a transaction in flight holds is refused, as DynamoDB does. */
    private void refuseIfInTransaction(String key) {
        synchronized (inFlight) {
            if (inFlight.owners.containsKey(key)) {
                inFlight.conflicts++;
                throw TransactionConflictException.builder()
                        .message("Transaction is ongoing for the item")
                        .awsErrorDetails(details("TransactionConflictException"))
                        .build();
            }
        }
    }

    /** {@link Mutation#RESERVATION_NOT_ATOMIC}: read the counter, let others run, then set it to what was read + size. */
    private UpdateItemResponse reserveByReadThenWrite(UpdateItemRequest request) {
        GetItemResponse read = getItem(GetItemRequest.builder().tableName(request.tableName()).key(request.key())
                .consistentRead(true).build());
        long last = read.hasItem() && read.item().containsKey("last") ? Long.parseLong(read.item().get("last").n()) : 0;
        Thread.yield();
        long high = last + Long.parseLong(request.expressionAttributeValues().get(":size").n());
        call("UpdateItem", toJson(UpdateItemRequest.builder().tableName(request.tableName()).key(request.key())
                .updateExpression("SET #last = :high").expressionAttributeNames(Map.of("#last", "last"))
                .expressionAttributeValues(Map.of(":high", AttributeValue.fromN(Long.toString(high)))).build()));
        return UpdateItemResponse.builder().attributes(Map.of("last", AttributeValue.fromN(Long.toString(high)))).build();
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        ObjectNode json = (ObjectNode) toJson(request);
        ArrayNode items = (ArrayNode) json.get("TransactItems");
        List<String> keys = new ArrayList<>();
        items.forEach(item -> keys.add(keyOf(item)));
        Object me = new Object();
        synchronized (inFlight) {
            for (int i = 0; i < keys.size(); i++) {
                if (inFlight.owners.containsKey(keys.get(i))) {
                    inFlight.conflicts++;
                    throw cancelled(keys.size(), i, "TransactionConflict");
                }
            }
            keys.forEach(k -> inFlight.owners.put(k, me));
        }
        // DynamoDB's transactions take time, and others run meanwhile: here the schedule decides who overlaps
        Thread.yield();
        try {
            List<Integer> kept = mutate(items);
            try {
                engine.call("TransactWriteItems", json);
                return TransactWriteItemsResponse.builder().build();
            } catch (InProcessEngine.Failure f) {
                if (f.code().equals("TransactionCanceledException")) {
                    throw cancelledByEngine(f.body(), kept, keys.size());
                }
                throw translate(f);
            }
        } finally {
            synchronized (inFlight) {
                keys.forEach(k -> inFlight.owners.remove(k, me));
            }
        }
    }

    /** Applies the planted bug, if any; returns, for each item still sent, its index in the adapter's request. */
    private List<Integer> mutate(ArrayNode items) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0, original = 0; i < items.size(); original++) {
            JsonNode item = items.get(i);
            String key = keyOf(item);
            if (mutation == Mutation.ORDER_PUT_UNCONDITIONAL && key.startsWith("ORDER#")) {
                dropCondition((ObjectNode) item.get("Put"));
            } else if (mutation == Mutation.NUMBER_UNCHECKED && key.startsWith("NUMBER#")) {
                items.remove(i);
                continue;
            } else if (mutation == Mutation.NUMBER_UNCHECKED && key.startsWith("COUNTER#")) {
                dropCondition((ObjectNode) item.get("Update"));
            }
            kept.add(original);
            i++;
        }
        return kept;
    }

    private static void dropCondition(ObjectNode write) {
        write.remove("ConditionExpression");
        write.remove("ReturnValuesOnConditionCheckFailure");
        // placeholders only the condition used would now be refused as unused
        if (write.has("ExpressionAttributeNames")) {
            ((ObjectNode) write.get("ExpressionAttributeNames")).remove("#pk");
        }
        if (write.has("ExpressionAttributeValues")) {
            ((ObjectNode) write.get("ExpressionAttributeValues")).remove(":before");
        }
        for (String member : List.of("ExpressionAttributeNames", "ExpressionAttributeValues")) {
            if (write.has(member) && write.get(member).isEmpty()) {
                write.remove(member);
            }
        }
    }

    private static String keyOf(JsonNode transactItem) {
        JsonNode write = transactItem.elements().next();
        JsonNode key = write.has("Item") ? write.get("Item") : write.get("Key");
        return key.get("pk").get("S").asText();
    }

    private ObjectNode call(String operation, JsonNode request) {
        try {
            return engine.call(operation, request);
        } catch (InProcessEngine.Failure f) {
            throw translate(f);
        }
    }

    private static TransactionCanceledException cancelled(int size, int index, String code) {
        List<CancellationReason> reasons = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            reasons.add(CancellationReason.builder().code(i == index ? code : "None").build());
        }
        return TransactionCanceledException.builder()
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons")
                .cancellationReasons(reasons)
                .awsErrorDetails(details("TransactionCanceledException"))
                .build();
    }

    /** The engine's reasons, put back at the positions of the adapter's request if a planted bug removed items. */
    private static TransactionCanceledException cancelledByEngine(ObjectNode body, List<Integer> kept, int size) {
        List<CancellationReason> reasons = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            reasons.add(CancellationReason.builder().code("None").build());
        }
        JsonNode given = body.get("CancellationReasons");
        for (int i = 0; i < given.size(); i++) {
            JsonNode reason = given.get(i);
            CancellationReason.Builder builder = CancellationReason.builder().code(reason.get("Code").asText());
            if (reason.has("Message")) {
                builder.message(reason.get("Message").asText());
            }
            if (reason.has("Item")) {
                builder.item(item(reason.get("Item")));
            }
            reasons.set(kept.get(i), builder.build());
        }
        return TransactionCanceledException.builder()
                .message(body.path("message").asText())
                .cancellationReasons(reasons)
                .awsErrorDetails(details("TransactionCanceledException"))
                .build();
    }

    private static DynamoDbException translate(InProcessEngine.Failure f) {
        String message = f.body().path("message").asText();
        if (f.code().equals("ConditionalCheckFailedException")) {
            ConditionalCheckFailedException.Builder builder = ConditionalCheckFailedException.builder()
                    .message(message).awsErrorDetails(details(f.code()));
            if (f.body().has("Item")) {
                builder.item(item(f.body().get("Item")));
            }
            return builder.build();
        }
        return (DynamoDbException) DynamoDbException.builder().message(f.code() + ": " + message)
                .awsErrorDetails(details(f.code())).build();
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).serviceName("DynamoDb").build();
    }

    /** An SDK request as DynamoDB's JSON protocol writes it, field by field from the model's own metadata. */
    static JsonNode toJson(Object value) {
        if (value instanceof SdkPojo pojo) {
            ObjectNode node = JSON.objectNode();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object member = field.getValueOrDefault(pojo);
                if (member == null || member instanceof SdkAutoConstructList || member instanceof SdkAutoConstructMap) {
                    continue;
                }
                node.set(field.locationName(), toJson(member));
            }
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = JSON.objectNode();
            map.forEach((k, v) -> node.set((String) k, toJson(v)));
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = JSON.arrayNode();
            list.forEach(v -> node.add(toJson(v)));
            return node;
        }
        if (value instanceof String s) {
            return JSON.textNode(s);
        }
        if (value instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return JSON.numberNode(i);
        }
        if (value instanceof Long l) {
            return JSON.numberNode(l);
        }
        throw new IllegalArgumentException("not needed by the adapters: " + value.getClass());
    }

    /** An item in DynamoDB's JSON as SDK attribute values (the types the orders table uses). */
    static Map<String, AttributeValue> item(JsonNode node) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        node.properties().forEach(e -> item.put(e.getKey(), attributeValue(e.getValue())));
        return item;
    }

    private static AttributeValue attributeValue(JsonNode node) {
        Map.Entry<String, JsonNode> typed = node.properties().iterator().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "M" -> AttributeValue.fromM(item(v));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.forEach(element -> list.add(attributeValue(element)));
                yield AttributeValue.fromL(list);
            }
            case "SS" -> {
                Set<String> set = new HashSet<>();
                v.forEach(element -> set.add(element.asText()));
                yield AttributeValue.fromSs(List.copyOf(set));
            }
            default -> throw new IllegalArgumentException("not used by the orders table: " + typed.getKey());
        };
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
