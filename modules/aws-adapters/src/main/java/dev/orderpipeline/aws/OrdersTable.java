package dev.orderpipeline.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The layout of the orders table, shared by intake (reads) and confirmation (writes), and created the same way
 * by {@code template.yaml}, the local runtime and the tests.
 *
 * <p>One table, one string partition key {@value #PK}, three kinds of item:
 * <table>
 *   <caption>items</caption>
 *   <tr><th>{@code pk}</th><th>attributes</th><th>purpose</th></tr>
 *   <tr><td>{@code ORDER#<orderId>}</td><td>kind, orderId, orderNumber (N), orderNumberText, status, fingerprint,
 *       submittedAt, confirmedAt, order (the submission JSON), itemVersion (N; absent = 1)</td><td>the confirmed order;
 *       written once, read back without today's input rules</td></tr>
 *   <tr><td>{@code NUMBER#<sequence>}</td><td>kind, orderId</td><td>strict mode only, in the order's transaction: a number can be
 *       taken once (block mode stores an order with one conditional put and no guard)</td></tr>
 *   <tr><td>{@code COUNTER#order-number}</td><td>kind, last (N)</td><td>the highest number handed out or reserved</td></tr>
 *   <tr><td>{@code IDEMPOTENCY#<orderId>}</td><td>kind, orderId, fingerprint, submittedAt, expiresAt (N, epoch
 *       seconds: the table's TTL attribute)</td><td>intake's claim of an {@code Idempotency-Key} (the id is derived
 *       from customer and key); the only items intake may write</td></tr>
 * </table>
 */
public final class OrdersTable {
    public static final String PK = "pk";
    public static final String KIND = "kind";
    public static final String ORDER_ID = "orderId";
    public static final String ORDER_NUMBER = "orderNumber";
    public static final String ORDER_NUMBER_TEXT = "orderNumberText";
    public static final String STATUS = "status";
    public static final String FINGERPRINT = "fingerprint";
    public static final String SUBMITTED_AT = "submittedAt";
    public static final String CONFIRMED_AT = "confirmedAt";
    public static final String ORDER = "order";
    public static final String COUNTER_LAST = "last";
    /** The TTL attribute ({@code template.yaml}'s {@code TimeToLiveSpecification}); only idempotency items carry it. */
    public static final String EXPIRES_AT = "expiresAt";
    /** Key prefix of the only items intake writes; the template's {@code dynamodb:LeadingKeys} condition names it. */
    public static final String IDEMPOTENCY_PREFIX = "IDEMPOTENCY#";

    public static final String COUNTER_KEY = "COUNTER#order-number";
    public static final String STATUS_CONFIRMED = "CONFIRMED";

    private OrdersTable() {
    }

    public static String orderKey(String orderId) {
        return "ORDER#" + orderId;
    }

    public static String idempotencyKey(String orderId) {
        return IDEMPOTENCY_PREFIX + orderId;
    }

    public static String numberKey(long sequence) {
        return "NUMBER#" + sequence;
    }

    /** On-demand, keyed as above; what the local runtime and tests create (the template mirrors it). */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }
}
