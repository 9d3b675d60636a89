package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The emulator's storage engine without its HTTP server: executes one DynamoDB operation, given as its JSON 1.0
 * request body, on one database and answers the response body DynamoDB would send. {@link DynamoDbEmulator} serves
 * it over HTTP; tests that explore thread interleavings call {@link #execute} in-process. Thread-safe: concurrent
 * calls contend exactly as concurrent HTTP requests do.
 *
 * <pre>{@code
 * DynamoDbEngine engine = DynamoDbEngine.inMemory(Contention.NONE);
 * DynamoDbEngine.Response r = engine.execute("TransactWriteItems", "{\"TransactItems\":[...]}");
 * // r.status() 200 or 400/500; r.body() the JSON body, errors as {"__type":"...#TransactionCanceledException",...}
 * }</pre>
 */
public final class DynamoDbEngine {
    /** An answer: the HTTP status DynamoDB would use and its JSON body. */
    public record Response(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }

        /** The error code after {@code #} in {@code __type} ({@code TransactionCanceledException}), or null on success. */
        public String errorCode() {
            if (status == 200) {
                return null;
            }
            try {
                String type = MAPPER.readTree(body).path("__type").asText();
                return type.substring(type.indexOf('#') + 1);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not a DynamoDB error body: " + body, e);
            }
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(DynamoDbEngine.class.getName());

    private final Database database;
    private final Map<String, Function<Request, ObjectNode>> operations;

    private DynamoDbEngine(Path dataDir, Contention contention) {
        database = new Database(dataDir == null ? null : new Snapshot(dataDir, MAPPER), contention);
        TableOperations tables = new TableOperations(database);
        ReadOperations reads = new ReadOperations(database);
        WriteOperations writes = new WriteOperations(database);
        operations = Map.ofEntries(
                Map.entry("CreateTable", tables::createTable),
                Map.entry("DescribeTable", tables::describeTable),
                Map.entry("DeleteTable", tables::deleteTable),
                Map.entry("GetItem", reads::getItem),
                Map.entry("Scan", reads::scan),
                Map.entry("PutItem", writes::putItem),
                Map.entry("UpdateItem", writes::updateItem),
                Map.entry("TransactWriteItems", writes::transactWriteItems));
    }

    /** A database that lives in memory only. */
    public static DynamoDbEngine inMemory(Contention contention) {
        return new DynamoDbEngine(null, contention);
    }

    /** A database loaded from {@code dataDir} and saved there after every write (see the module README). */
    public static DynamoDbEngine persistent(Path dataDir, Contention contention) {
        return new DynamoDbEngine(dataDir, contention);
    }

    /** Executes {@code operation} (e.g. {@code "PutItem"}) with the given JSON request body. */
    public Response execute(String operation, String requestJson) {
        Answer answer = answer(operation, requestJson.getBytes(StandardCharsets.UTF_8));
        return new Response(answer.status(), answer.body().toString());
    }

    record Answer(int status, ObjectNode body) {
    }

    /** {@link #execute} without converting the bodies to and from strings: what the HTTP endpoint calls. */
    Answer answer(String operation, byte[] requestBody) {
        ObjectNode body;
        int status = 200;
        try {
            body = dispatch(operation, requestBody);
        } catch (ApiException e) {
            status = e.httpStatus();
            body = e.body();
        } catch (RuntimeException | Error e) {
            // a bug or a resource problem here must still answer: the SDK would otherwise wait for its timeout
            LOG.log(System.Logger.Level.ERROR, "DynamoDB emulator failed on a request", e);
            ApiException internal = ApiException.internal("Internal server error: " + e);
            status = internal.httpStatus();
            body = internal.body();
        }
        return new Answer(status, body);
    }

    /** Transactions cancelled or single writes refused because a transaction in flight held an item. */
    public long transactionConflicts() {
        return database.transactionConflicts();
    }

    /** Writes and transactions refused because an item was over its write throughput. */
    public long throttledRequests() {
        return database.throttledRequests();
    }

    private ObjectNode dispatch(String operation, byte[] requestBody) {
        Function<Request, ObjectNode> handler = operations.get(operation);
        if (handler == null) {
            throw ApiException.unknownOperation(
                    "The operation " + operation + " is not supported by this DynamoDB emulator");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(requestBody);
        } catch (JsonProcessingException e) {
            throw ApiException.serialization("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handler.apply(new Request(operation, json));
    }
}
