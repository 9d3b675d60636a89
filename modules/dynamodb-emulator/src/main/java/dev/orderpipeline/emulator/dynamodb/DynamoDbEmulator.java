package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * An in-JVM DynamoDB endpoint for tests and local runs, spoken to by the unmodified AWS SDK through
 * {@code endpointOverride(emulator.endpoint())}.
 *
 * <p>It implements a subset of DynamoDB faithfully (same semantics, validation, error codes and atomicity as the
 * service) and refuses everything else with an error instead of approximating it: unknown operations get
 * {@code UnknownOperationException}, unsupported request members a {@code ValidationException}. See the module
 * README for the list. It listens on 127.0.0.1 only and needs no credentials (signatures are not checked).
 *
 * <pre>{@code
 * try (DynamoDbEmulator dynamoDb = DynamoDbEmulator.start(0)) {
 *     DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint())...build();
 * }
 * }</pre>
 */
public final class DynamoDbEmulator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DynamoDbEmulator.class.getName());
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final int HANDLER_THREADS = 16;
    private static final int BACKLOG = 128;
    private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        // The JDK server writes a response's headers and body as two TCP segments and leaves Nagle's algorithm
        // on, so the body waits for the client's delayed ACK: about 40 ms per request instead of well under one.
        // The JDK reads this property once, when its server classes initialise; an explicit setting wins.
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Function<Request, ObjectNode>> operations;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DynamoDbEmulator(int port, Path dataDir) {
        Database database = new Database(dataDir == null ? null : new Snapshot(dataDir, mapper));
        TableOperations tables = new TableOperations(database);
        ReadOperations reads = new ReadOperations(database);
        WriteOperations writes = new WriteOperations(database);
        operations = Map.ofEntries(
                Map.entry("CreateTable", tables::createTable),
                Map.entry("DescribeTable", tables::describeTable),
                Map.entry("ListTables", tables::listTables),
                Map.entry("DeleteTable", tables::deleteTable),
                Map.entry("GetItem", reads::getItem),
                Map.entry("BatchGetItem", reads::batchGetItem),
                Map.entry("Query", reads::query),
                Map.entry("Scan", reads::scan),
                Map.entry("PutItem", writes::putItem),
                Map.entry("UpdateItem", writes::updateItem),
                Map.entry("DeleteItem", writes::deleteItem),
                Map.entry("TransactWriteItems", writes::transactWriteItems));
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), BACKLOG);
        } catch (BindException e) {
            throw new UncheckedIOException(
                    "Cannot start the DynamoDB emulator: port " + port + " is already in use", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the DynamoDB emulator on port " + port, e);
        }
        executor = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads("dynamodb-emulator-" + port()));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an emulator that keeps its state in memory. {@code port} 0 picks a free port. */
    public static DynamoDbEmulator start(int port) {
        return start(port, null);
    }

    /**
     * Starts an emulator; {@code port} 0 picks a free port. With a {@code dataDir}, the state is loaded from it
     * and saved to it after every successful write, so a restart with the same directory sees the same tables
     * and items; with null, the state lives in memory only.
     *
     * @throws UncheckedIOException if the port is in use (the message says {@code port N is already in use}) or
     *                              the data directory cannot be read
     */
    public static DynamoDbEmulator start(int port, Path dataDir) {
        return new DynamoDbEmulator(port, dataDir);
    }

    /** The endpoint to give the SDK, {@code http://localhost:PORT}. */
    public URI endpoint() {
        return URI.create("http://localhost:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving and releases the port; requests in flight are cut off. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            int status = 200;
            ObjectNode body;
            try {
                body = dispatch(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                        exchange.getRequestBody().readAllBytes());
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
            respond(exchange, status, mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "DynamoDB emulator could not answer a client", e);
        } finally {
            exchange.close();
        }
    }

    private ObjectNode dispatch(String target, byte[] requestBody) {
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw ApiException.unknownOperation("Missing or unknown X-Amz-Target: " + target);
        }
        String operation = target.substring(TARGET_PREFIX.length());
        Function<Request, ObjectNode> handler = operations.get(operation);
        if (handler == null) {
            throw ApiException.unknownOperation(
                    "The operation " + operation + " is not supported by this DynamoDB emulator");
        }
        JsonNode json;
        try {
            json = mapper.readTree(requestBody);
        } catch (JsonProcessingException e) {
            throw ApiException.serialization("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handler.apply(new Request(operation, json));
    }

    /** Sends the body with DynamoDB's headers, including the CRC32 the SDK checks when present. */
    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
