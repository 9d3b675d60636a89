package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The AWS JSON 1.1 wire protocol as the SDK speaks it: {@code POST /} with {@code X-Amz-Target: AWSEvents.<Operation>}
 * and a JSON body. Every request gets a JSON answer, errors included, so no client is ever left waiting on a
 * half-written response.
 */
final class AwsJsonEndpoint implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(AwsJsonEndpoint.class.getName());
    private static final String TARGET_PREFIX = "AWSEvents.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final Map<String, Function<JsonNode, ObjectNode>> operations;

    /** @param operations by operation name, e.g. {@code PutEvents} */
    AwsJsonEndpoint(Map<String, Function<JsonNode, ObjectNode>> operations) {
        this.operations = Map.copyOf(operations);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            ObjectNode body;
            try {
                body = dispatch(exchange);
            } catch (ApiException e) {
                status = e.httpStatus();
                body = error(e.errorType(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Local EventBridge endpoint failed on a request", e);
                status = 500;
                body = error("InternalException", "The local EventBridge endpoint failed: " + e);
            }
            byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private ObjectNode dispatch(HttpExchange exchange) throws IOException {
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new ApiException(400, "UnknownOperationException", "The local EventBridge endpoint takes AWS JSON 1.1"
                    + " requests: POST / with an X-Amz-Target: " + TARGET_PREFIX + "<Operation> header");
        }
        String operationName = target.substring(TARGET_PREFIX.length());
        Function<JsonNode, ObjectNode> operation = operations.get(operationName);
        if (operation == null) {
            throw new ApiException(400, "UnknownOperationException",
                    operationName + " is not supported by the local EventBridge endpoint");
        }
        return operation.apply(parse(requestBody));
    }

    private static JsonNode parse(byte[] body) {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            // the body is already in memory: this can only be malformed JSON; keep Jackson's reason, not its excerpt
            throw new ApiException(400, "SerializationException",
                    "Request body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (request == null || request.isMissingNode()) {
            return Json.object();
        }
        if (!request.isObject()) {
            throw new ApiException(400, "SerializationException", "Request body must be a JSON object");
        }
        return request;
    }

    private static ObjectNode error(String type, String message) {
        return Json.object().put("__type", type).put("message", message);
    }
}
