package dev.orderpipeline.history;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The history table's layout, shared by the adapter, the template contract and the local runtime. One partition key
 * {@code pk}: {@code CUSTOMER#<customerId>} holds a customer's history, {@code EVENT#<eventId>} is a dedup marker that
 * TTL ({@value #EXPIRES_AT}) removes after the dedup window.
 */
public final class OrderHistoryTable {
    public static final String PK = "pk";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String CUSTOMER_PREFIX = "CUSTOMER#";
    public static final String EVENT_PREFIX = "EVENT#";

    private OrderHistoryTable() {
    }

    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }
}
