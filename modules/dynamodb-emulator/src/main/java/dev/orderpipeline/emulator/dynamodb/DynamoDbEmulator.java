package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final DynamoDbEngine engine;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DynamoDbEmulator(int port, Path dataDir, Contention contention) {
        engine = dataDir == null ? DynamoDbEngine.inMemory(contention) : DynamoDbEngine.persistent(dataDir, contention);
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
        return start(port, Contention.NONE);
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
        return new DynamoDbEmulator(port, dataDir, Contention.NONE);
    }

    /** An in-memory emulator that reproduces DynamoDB's contention as configured (see {@link Contention}). */
    public static DynamoDbEmulator start(int port, Contention contention) {
        return new DynamoDbEmulator(port, null, contention);
    }

    /** The storage engine behind this endpoint, e.g. for its conflict and throttling counts. */
    public DynamoDbEngine engine() {
        return engine;
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
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] request = exchange.getRequestBody().readAllBytes();
            DynamoDbEngine.Answer answer = target == null || !target.startsWith(TARGET_PREFIX)
                    ? new DynamoDbEngine.Answer(400, ApiException.unknownOperation("Missing or unknown X-Amz-Target: " + target).body())
                    : engine.answer(target.substring(TARGET_PREFIX.length()), request);
            respond(exchange, answer.status(), mapper.writeValueAsBytes(answer.body()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "DynamoDB emulator could not answer a client", e);
        } finally {
            exchange.close();
        }
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
