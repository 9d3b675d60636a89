package dev.orderpipeline.aws;

import static dev.orderpipeline.aws.OrdersTable.*;

import dev.orderpipeline.domain.intake.IdempotencyRecord;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.port.IdempotencyRecords;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Intake's idempotency records, as {@code IDEMPOTENCY#<orderId>} items of the orders table, claimed with one
 * conditional {@code PutItem}: written if no record exists or the existing one has expired, otherwise refused with the
 * existing record returned ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}), so a claim costs one write either
 * way. The order id is derived from customer and key, so the item key is scoped to the customer without storing the
 * raw key.
 *
 * <p>Expiry is decided by the condition, not by DynamoDB's TTL: TTL deletes expired items only eventually (typically
 * within days), so it only keeps the table small. {@value OrdersTable#EXPIRES_AT} is the TTL attribute (epoch
 * seconds); no other kind of item carries it.
 */
public final class DynamoDbIdempotencyRecords implements IdempotencyRecords {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbIdempotencyRecords(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public IdempotencyRecord claim(IdempotencyRecord record, Instant now) {
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(toItem(record))
                    .conditionExpression("attribute_not_exists(#pk) OR #expiresAt <= :now")
                    .expressionAttributeNames(Map.of("#pk", PK, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return record;
        } catch (ConditionalCheckFailedException e) {
            if (!e.hasItem() || e.item().isEmpty()) {
                throw new OrderStoreUnavailableException("the idempotency record exists but DynamoDB returned no item", e);
            }
            return fromItem(e.item());
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            throw new OrderStoreUnavailableException("could not claim the idempotency key of order " + record.orderId(), e);
        }
    }

    static Map<String, AttributeValue> toItem(IdempotencyRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(idempotencyKey(record.orderId().value())));
        item.put(KIND, s("IDEMPOTENCY"));
        item.put(ORDER_ID, s(record.orderId().value()));
        item.put(FINGERPRINT, s(record.fingerprint()));
        item.put(SUBMITTED_AT, s(record.submittedAt().toString()));
        item.put(EXPIRES_AT, n(record.expiresAt().getEpochSecond()));
        return item;
    }

    static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        return new IdempotencyRecord(new OrderId(item.get(ORDER_ID).s()), item.get(FINGERPRINT).s(),
                Instant.parse(item.get(SUBMITTED_AT).s()), Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
