package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An error answered in the DynamoDB JSON 1.0 shape, {@code {"__type": "<namespace>#<Code>", "message": ...}}.
 * The SDK takes the code after {@code #} and raises the modeled subclass of {@code DynamoDbException}, reading
 * modeled members such as {@code Item} or {@code CancellationReasons} from the same body.
 */
final class ApiException extends RuntimeException {
    private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";
    private static final String CORAL_VALIDATE = "com.amazon.coral.validate#";
    private static final String CORAL_SERVICE = "com.amazon.coral.service#";

    private final int httpStatus;
    private final String errorType;
    private final String code;
    private final ObjectNode members;

    private ApiException(int httpStatus, String namespace, String code, String message, ObjectNode members) {
        // no stack trace: these are answers to clients (conditional check failures are routine), not bugs
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.errorType = namespace + code;
        this.code = code;
        this.members = members;
    }

    static ApiException validation(String message) {
        return new ApiException(400, CORAL_VALIDATE, "ValidationException", message, null);
    }

    static ApiException notNull(String member) {
        return validation("1 validation error detected: Value null at '" + member
                + "' failed to satisfy constraint: Member must not be null");
    }

    static ApiException unsupported(String what) {
        return validation(what + " is not supported by this DynamoDB emulator");
    }

    static ApiException serialization(String message) {
        return new ApiException(400, CORAL_SERVICE, "SerializationException", message, null);
    }

    static ApiException unknownOperation(String message) {
        return new ApiException(400, DYNAMODB, "UnknownOperationException", message, null);
    }

    static ApiException resourceNotFound(String message) {
        return new ApiException(400, DYNAMODB, "ResourceNotFoundException", message, null);
    }

    static ApiException resourceInUse(String message) {
        return new ApiException(400, DYNAMODB, "ResourceInUseException", message, null);
    }

    static ApiException idempotentParameterMismatch() {
        return new ApiException(400, DYNAMODB, "IdempotentParameterMismatchException",
                "Request parameters do not match the original request for this ClientRequestToken", null);
    }

    /** {@code item} is the current item when the request asked for it with ReturnValuesOnConditionCheckFailure. */
    static ApiException conditionalCheckFailed(Map<String, AttributeValue> item) {
        ObjectNode members = null;
        if (item != null) {
            members = JsonNodeFactory.instance.objectNode();
            members.set("Item", AttributeValue.itemToJson(item));
        }
        return new ApiException(400, DYNAMODB, "ConditionalCheckFailedException", "The conditional request failed",
                members);
    }

    static ApiException transactionCanceled(String message, ObjectNode members) {
        return new ApiException(400, DYNAMODB, "TransactionCanceledException", message, members);
    }

    /** A single-item write on an item that a transaction in flight holds. */
    static ApiException transactionConflict() {
        return new ApiException(400, DYNAMODB, "TransactionConflictException",
                "Transaction is ongoing for the item", null);
    }

    /** A transaction whose ClientRequestToken belongs to a transaction still in flight. */
    static ApiException transactionInProgress() {
        return new ApiException(400, DYNAMODB, "TransactionInProgressException",
                "Transaction with the given request token is already in progress.", null);
    }

    /** A single-item write over the item's write throughput; the SDKs retry it with back-off. */
    static ApiException throughputExceeded(boolean onDemand) {
        return new ApiException(400, DYNAMODB, "ProvisionedThroughputExceededException",
                throttlingMessage(onDemand), null);
    }

    /** DynamoDB's messages for an on-demand table scaling and for a provisioned table over its capacity. */
    static String throttlingMessage(boolean onDemand) {
        return onDemand
                ? "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling "
                        + "your table or index so please try again shortly. If exceptions persist, check if you have "
                        + "a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html."
                : "The level of configured provisioned throughput for the table was exceeded. Consider increasing "
                        + "your provisioning level with the UpdateTable API.";
    }

    static ApiException internal(String message) {
        return new ApiException(500, DYNAMODB, "InternalServerError", message, null);
    }

    int httpStatus() {
        return httpStatus;
    }

    /** The short code, e.g. {@code ValidationException}; used as a transaction cancellation reason. */
    String code() {
        return code;
    }

    ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", errorType);
        body.put("message", getMessage());
        if (members != null) {
            body.setAll(members);
        }
        return body;
    }
}
