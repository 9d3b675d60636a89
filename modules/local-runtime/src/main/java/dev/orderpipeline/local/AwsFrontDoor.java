package dev.orderpipeline.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One AWS-compatible endpoint for all three emulators, like LocalStack's edge port: requests are routed by their
 * {@code X-Amz-Target} header (DynamoDB, EventBridge and SQS JSON protocols) or, for the SQS query protocol of
 * older CLIs, by being a form post. So {@code AWS_ENDPOINT_URL=http://localhost:4566} or
 * {@code aws --endpoint-url http://localhost:4566 …} reaches the queues, the table and the bus alike.
 */
final class AwsFrontDoor implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    /** Null until {@link #routeTo}: the port is served (and so owned) before the emulators behind it exist. */
    private volatile Backends backends;

    private record Backends(URI sqs, URI dynamoDb, URI eventBridge) {
    }

    private AwsFrontDoor(HttpServer server) {
        this.server = server;
        this.executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "aws-front-door");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        server.createContext("/", this::forward);
        server.setExecutor(executor);
    }

    /**
     * Binds and serves the port at once, answering 503 until {@link #routeTo} names the emulators. (A server that is
     * bound but never started cannot give its port back on close: the JDK releases it only from its dispatcher.)
     */
    static AwsFrontDoor start(int port) {
        AwsFrontDoor door = new AwsFrontDoor(Ports.bind("AWS endpoint", "--aws-port", port));
        door.server.start();
        return door;
    }

    void routeTo(URI sqs, URI dynamoDb, URI eventBridge) {
        backends = new Backends(sqs, dynamoDb, eventBridge);
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI endpoint() {
        return URI.create("http://localhost:" + port());
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Backends routes = backends;
            if (routes == null) {
                byte[] error = "{\"__type\":\"ServiceUnavailableException\",\"message\":\"the local AWS endpoint is still starting\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(503, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            URI backend = backendFor(routes, exchange, body);
            if (backend == null) {
                byte[] error = "{\"__type\":\"UnknownOperationException\",\"message\":\"no local service answers this request\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(400, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            URI target = backend.resolve(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
                if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    for (String v : h.getValue()) {
                        request.header(h.getKey(), v);
                    }
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] responseBody = response.body();
            exchange.sendResponseHeaders(response.statusCode(), responseBody.length == 0 ? -1 : responseBody.length);
            if (responseBody.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(responseBody);
                }
            }
        }
    }

    private static URI backendFor(Backends routes, HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            if (target.startsWith("DynamoDB")) {
                return routes.dynamoDb();
            }
            if (target.startsWith("AWSEvents.")) {
                return routes.eventBridge();
            }
            if (target.startsWith("AmazonSQS.")) {
                return routes.sqs();
            }
            return null;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean form = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        boolean queryAction = exchange.getRequestURI().getRawQuery() != null && exchange.getRequestURI().getRawQuery().contains("Action=");
        if (form || queryAction || new String(body, StandardCharsets.UTF_8).startsWith("Action=")) {
            return routes.sqs();
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
