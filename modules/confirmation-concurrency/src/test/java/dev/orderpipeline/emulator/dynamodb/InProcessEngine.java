package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Function;

/**
 * The DynamoDB emulator's storage engine called in the same thread, without its HTTP server: the same request
 * handlers, conditions, transactions and locking as {@code DynamoDbEmulator} serves over the wire, so the
 * concurrency tier checks the semantics every other tier uses rather than a third fake.
 *
 * <p>Test code placed in the emulator's package (it reaches package-private classes; nothing in the emulator's
 * main code exists for it). If the emulator's internals change shape, this is the one file to follow them.
 */
public final class InProcessEngine {
    private final Map<String, Function<Request, ObjectNode>> operations;

    public InProcessEngine() {
        Database database = new Database(null);
        TableOperations tables = new TableOperations(database);
        ReadOperations reads = new ReadOperations(database);
        WriteOperations writes = new WriteOperations(database);
        operations = Map.of(
                "CreateTable", tables::createTable,
                "GetItem", reads::getItem,
                "Scan", reads::scan,
                "PutItem", writes::putItem,
                "UpdateItem", writes::updateItem,
                "TransactWriteItems", writes::transactWriteItems);
    }

    /**
     * Runs one request, given and answered in DynamoDB's JSON 1.0 shape.
     *
     * @throws Failure with the error's code (e.g. {@code TransactionCanceledException}) and JSON body
     */
    public ObjectNode call(String operation, JsonNode request) {
        Function<Request, ObjectNode> handler = operations.get(operation);
        if (handler == null) {
            throw new IllegalArgumentException("not wired for the concurrency tier: " + operation);
        }
        try {
            return handler.apply(new Request(operation, request));
        } catch (ApiException e) {
            throw new Failure(e.code(), e.body());
        }
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
