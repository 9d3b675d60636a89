package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The DynamoDB emulator's storage engine ({@link DynamoDbEngine}) called in the same thread, without its HTTP server:
 * the same request handlers, conditions, transactions and locking as {@code DynamoDbEmulator} serves over the wire, so
 * the concurrency tier checks the semantics every other tier uses rather than a third fake. This class only turns the
 * engine's answers into JSON trees and its error answers into {@link Failure}s.
 */
public final class InProcessEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DynamoDbEngine engine = DynamoDbEngine.inMemory(Contention.NONE);

    /**
     * Runs one request, given and answered in DynamoDB's JSON 1.0 shape.
     *
     * @throws Failure with the error's code (e.g. {@code TransactionCanceledException}) and JSON body
     */
    public ObjectNode call(String operation, JsonNode request) {
        DynamoDbEngine.Response response = engine.execute(operation, request.toString());
        ObjectNode body;
        try {
            body = (ObjectNode) JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a DynamoDB answer: " + response, e);
        }
        if (response.status() != 200) {
            throw new Failure(response.errorCode(), body);
        }
        return body;
    }

    /** An error answer of the engine: what the SDK would turn into a {@code DynamoDbException} subclass. */
    public static final class Failure extends RuntimeException {
        private final String code;
        private final transient ObjectNode body;

        Failure(String code, ObjectNode body) {
            super(code + ": " + body.path("message").asText(), null, false, false);
            this.code = code;
            this.body = body;
        }

        public String code() {
            return code;
        }

        public ObjectNode body() {
            return body;
        }
    }
}
