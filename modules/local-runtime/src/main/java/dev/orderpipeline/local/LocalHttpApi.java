package dev.orderpipeline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the API Gateway HTTP API: turns each HTTP request into a payload-format-2.0 event exactly as
 * API Gateway builds it (route key, raw path and query, lowercased headers with repeated values joined by commas,
 * cookies, path parameters, request context, base64 for non-text bodies), invokes the intake handler in-process,
 * and maps its response back. Authentication: none by default (callers are trusted, as IAM-signed ones are on AWS);
 * with {@link LocalAuth#jwt(String)} a bearer token is required and its claims are passed on unverified
 * ({@link LocalAuth#WARNING}).
 */
final class LocalHttpApi implements AutoCloseable {
    /** API Gateway's own payload limit; larger requests never reach the function. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    private static final Pattern ORDER_PATH = Pattern.compile("^/orders/([^/]+)/?$");
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final Consumer<String> trail;
    private final LocalAuth auth;

    private LocalHttpApi(HttpServer server, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                         Consumer<String> trail, LocalAuth auth) {
        this.server = server;
        this.handler = handler;
        this.trail = trail;
        this.auth = auth;
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "http-api");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::serve);
        server.setExecutor(executor);
    }

    static LocalHttpApi start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                              Consumer<String> trail, LocalAuth auth) {
        LocalHttpApi api = new LocalHttpApi(Ports.bind("HTTP API", "--http-port", port), handler, trail, auth);
        api.server.start();
        return api;
    }

    URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
            }
            if (body.length > MAX_PAYLOAD_BYTES) {
                send(exchange, 413, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            APIGatewayV2HTTPEvent event = toEvent(exchange, body);
            if (auth.isJwt()) {
                // what API Gateway's JWT authorizer answers without a usable token; the function is not invoked
                Optional<Map<String, String>> claims = LocalAuth.unverifiedClaims(event.getHeaders().get("authorization"));
                if (claims.isEmpty()) {
                    send(exchange, 401, Map.of("Content-Type", "application/json", "www-authenticate", "Bearer"),
                            "{\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8));
                    trail.accept(String.format("intake   %s %s -> 401 (no readable bearer token)",
                            exchange.getRequestMethod(), event.getRawPath()));
                    return;
                }
                event.getRequestContext().setAuthorizer(LocalAuth.authorizer(claims.get()));
            }
            APIGatewayV2HTTPResponse response;
            try {
                response = handler.handleRequest(event, new LocalLambdaContext("IntakeFunction", 10, 1024));
            } catch (RuntimeException e) {
                // what API Gateway answers when the integration fails
                send(exchange, 500, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                trail.accept(String.format("intake   %s %s -> 500 (function error: %s)", exchange.getRequestMethod(),
                        event.getRawPath(), e.getClass().getSimpleName()));
                return;
            }
            byte[] out = response.getBody() == null ? new byte[0]
                    : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                    : response.getBody().getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
            send(exchange, response.getStatusCode(), headers, out);
            String location = headers.getOrDefault("Location", "");
            trail.accept(String.format("intake   %s %s -> %d%s", exchange.getRequestMethod(), event.getRawPath(),
                    response.getStatusCode(), location.isEmpty() ? "" : " " + location));
        }
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, byte[] body) {
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();

        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String v : values) {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.trim());
                        }
                    }
                }
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });

        String routeKey = "$default";
        Map<String, String> pathParameters = null;
        if (path.equals("/orders") || path.equals("/orders/")) {
            routeKey = method.equals("POST") ? "POST /orders" : "$default";
        } else {
            Matcher m = ORDER_PATH.matcher(path);
            if (m.matches() && method.equals("GET")) {
                routeKey = "GET /orders/{orderId}";
                pathParameters = Map.of("orderId", m.group(1));
            }
        }

        Map<String, String> query = null;
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            query = new LinkedHashMap<>();
            for (String pair : uri.getQuery().split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                query.merge(k, v, (a, b) -> a + "," + b);
            }
        }

        Instant now = Instant.now();
        String requestId = UUID.randomUUID().toString();
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method)
                .withPath(path)
                .withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", ""))
                .build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("000000000000")
                .withApiId("local")
                .withDomainName(headers.getOrDefault("host", "localhost"))
                .withDomainPrefix("local")
                .withHttp(http)
                .withRequestId(requestId)
                .withRouteKey(routeKey)
                .withStage("$default")
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .build();

        boolean text = isText(headers.get("content-type")) && isUtf8(body);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query)
                .withPathParameters(pathParameters)
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .build();
    }

    /** API Gateway passes bodies with a textual content type as text and everything else base64-encoded. */
    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("text/") || ct.startsWith("application/json") || ct.contains("+json")
                || ct.startsWith("application/xml") || ct.contains("+xml") || ct.startsWith("application/javascript")
                || ct.startsWith("application/x-www-form-urlencoded");
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("apigw-requestid", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
