package dev.orderpipeline.history;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The history table's layout, shared by the adapter, the template contract and the local runtime. One partition key
 * {@code pk}: {@code CUSTOMER#<customerId>} holds a customer's history. Tables written by earlier versions also hold
 * {@code EVENT#<eventId>} dedup markers; nothing reads them any more, and TTL removes them.
 */
public final class OrderHistoryTable {
    public static final String PK = "pk";
    public static final String CUSTOMER_PREFIX = "CUSTOMER#";

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
