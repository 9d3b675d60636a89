package dev.orderpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.intake.IdempotencyKeyReusedException;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.json.MalformedJsonException;
import dev.orderpipeline.domain.json.OrderConfirmedJson;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.FieldError;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.InvalidOrderException;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderQueueUnavailableException;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP face of intake, for API Gateway HTTP API events (payload format 2.0):
 * {@code POST /orders} and {@code GET /orders/{orderId}}. Every error is an RFC 9457
 * {@code application/problem+json} response; no error echoes request content beyond a field's JSON pointer.
 */
final class OrdersHttpApi {
    /** Documented cap on the request body (decoded bytes); a real order with 100 lines is well under 32 KiB. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final String CORRELATION_HEADER = "x-correlation-id";
    private static final Pattern ORDER_PATH = Pattern.compile("^/orders/([^/]+)$");
    /** Also admits '=': HTTP API request ids (the fallback) look like {@code JKJaXmPLvHcESHA=}. */
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("^[A-Za-z0-9._:=-]{1,128}$");
    private static final Logger LOG = LoggerFactory.getLogger(OrdersHttpApi.class);

    private final SubmitOrder submitOrder;
    private final IntakeMetrics metrics;
    private final CustomerAuth auth;

    OrdersHttpApi(SubmitOrder submitOrder, IntakeMetrics metrics, CustomerAuth auth) {
        this.submitOrder = submitOrder;
        this.metrics = metrics;
        this.auth = auth;
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        String correlationId = correlationId(event);
        MDC.put("correlation_id", correlationId);
        try {
            APIGatewayV2HTTPResponse response;
            try {
                response = route(event, correlationId);
            } catch (RuntimeException e) {
                // a bug, not a client error: caught here so that both the log line and the response still carry
                // the correlation id (the MDC is cleared below, before the handler's last-resort catch would run)
                LOG.error("unexpected error while handling a request", e);
                response = internalError();
            }
            response.getHeaders().put("X-Correlation-Id", correlationId);
            return response;
        } finally {
            MDC.remove("correlation_id");
            MDC.remove("orderId");
        }
    }

    private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent event, String correlationId) {
        String method = method(event);
        String path = path(event);
        if ("/orders".equals(path)) {
            return "POST".equals(method) ? submit(event, correlationId) : methodNotAllowed("POST");
        }
        var orderPath = ORDER_PATH.matcher(path);
        if (orderPath.matches()) {
            return "GET".equals(method) ? find(event, orderPath.group(1)) : methodNotAllowed("GET");
        }
        return problem(ProblemType.ROUTE_NOT_FOUND, "There is no resource at this path; use POST /orders or GET /orders/{orderId}.");
    }

    private APIGatewayV2HTTPResponse submit(APIGatewayV2HTTPEvent event, String correlationId) {
        Optional<String> contentType = header(event, "content-type");
        if (contentType.isEmpty() || !isJson(contentType.get())) {
            return reject(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the order with Content-Type: application/json.");
        }
        Optional<IdempotencyKey> key = Optional.empty();
        Optional<String> keyHeader = header(event, "idempotency-key");
        if (keyHeader.isPresent()) {
            if (!IdempotencyKey.isValid(keyHeader.get())) {
                return reject(ProblemType.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key must be 1.."
                        + IdempotencyKey.MAX_LENGTH + " printable ASCII characters without spaces.");
            }
            key = Optional.of(new IdempotencyKey(keyHeader.get()));
        }
        byte[] body;
        try {
            body = body(event);
        } catch (IllegalArgumentException e) {
            return reject(ProblemType.MALFORMED_JSON, "The body is marked base64 but is not valid base64.");
        }
        if (body.length == 0) {
            return reject(ProblemType.EMPTY_BODY, "Send the order as a JSON object in the request body.");
        }
        if (body.length > MAX_BODY_BYTES) {
            return reject(ProblemType.PAYLOAD_TOO_LARGE, "The body must not exceed " + MAX_BODY_BYTES + " bytes.");
        }
        CustomerAuth.Caller caller = auth.caller(event);
        if (caller instanceof CustomerAuth.Caller.NoCustomer) {
            return reject(ProblemType.FORBIDDEN, noCustomerDetail());
        }
        OrderSubmission submission;
        try {
            if (caller instanceof CustomerAuth.Caller.Customer customer) {
                JsonNode order = OrderJson.parse(body);
                if (order.isObject() && !order.has("customerId")) {
                    ((ObjectNode) order).put("customerId", customer.id().value()); // the token says whose order it is
                } else if (order.isObject() && order.get("customerId").isTextual()
                        && !order.get("customerId").textValue().equals(customer.id().value())) {
                    return reject(ProblemType.FORBIDDEN, "customerId names another customer than the token. "
                            + "Leave customerId out: it is taken from the token.");
                }
                submission = OrderSubmissionJson.read(order, "");
            } else {
                submission = OrderSubmissionJson.read(body);
            }
        } catch (MalformedJsonException e) {
            return reject(ProblemType.MALFORMED_JSON, "The body is not valid JSON: " + e.getMessage() + ".");
        } catch (InvalidOrderException e) {
            metrics.rejected(ProblemType.VALIDATION_FAILED);
            return validationProblem(e.errors());
        }
        PendingOrder pending;
        try {
            pending = submitOrder.submit(submission, key, correlationId);
        } catch (OrderQueueUnavailableException e) {
            LOG.error("order not enqueued; answering 503", e);
            metrics.rejected(ProblemType.QUEUE_UNAVAILABLE);
            APIGatewayV2HTTPResponse r = problem(ProblemType.QUEUE_UNAVAILABLE,
                    "The order queue did not confirm the order; it may or may not have been queued. Retry with the same "
                            + "Idempotency-Key: a retry never creates a second order.");
            r.getHeaders().put("Retry-After", "2");
            return r;
        } catch (OrderStoreUnavailableException e) {
            LOG.error("idempotency key not claimed; answering 503", e);
            metrics.rejected(ProblemType.STORE_UNAVAILABLE);
            APIGatewayV2HTTPResponse r = problem(ProblemType.STORE_UNAVAILABLE,
                    "The order was not accepted. Retry with the same Idempotency-Key and the same order.");
            r.getHeaders().put("Retry-After", "1");
            return r;
        } catch (IdempotencyKeyReusedException e) {
            return reject(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key already belongs to an order with different content. Use a new key for a new order.");
        }
        MDC.put("orderId", pending.orderId().value());
        LOG.info("order accepted and enqueued");
        metrics.accepted();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("orderId", pending.orderId().value());
        json.put("status", "PENDING");
        json.put("submittedAt", pending.submittedAt().toString());
        APIGatewayV2HTTPResponse r = response(202, "application/json", OrderJson.write(json));
        r.getHeaders().put("Location", "/orders/" + pending.orderId().value());
        return r;
    }

    private APIGatewayV2HTTPResponse find(APIGatewayV2HTTPEvent event, String rawId) {
        CustomerAuth.Caller caller = auth.caller(event);
        if (caller instanceof CustomerAuth.Caller.NoCustomer) {
            return problem(ProblemType.FORBIDDEN, noCustomerDetail());
        }
        if (!OrderId.isValid(rawId)) {
            return problem(ProblemType.INVALID_ORDER_ID, "An order id is a lowercase UUID as returned by POST /orders.");
        }
        OrderId id = new OrderId(rawId);
        MDC.put("orderId", id.value());
        Optional<ConfirmedOrder> order;
        try {
            order = submitOrder.find(id);
        } catch (OrderStoreUnavailableException e) {
            LOG.error("order lookup failed; answering 503", e);
            APIGatewayV2HTTPResponse r = problem(ProblemType.STORE_UNAVAILABLE, "Retry shortly.");
            r.getHeaders().put("Retry-After", "1");
            return r;
        }
        if (caller instanceof CustomerAuth.Caller.Customer customer && order.isPresent()
                && !order.get().order().submission().customerId().equals(customer.id())) {
            // another customer's order answers exactly like an unknown id: no oracle for ids that exist
            order = Optional.empty();
        }
        if (order.isEmpty()) {
            APIGatewayV2HTTPResponse r = problem(ProblemType.ORDER_NOT_FOUND,
                    "No confirmed order has this id. An order accepted moments ago may not be confirmed yet: retry shortly.");
            r.getHeaders().put("Retry-After", "1");
            return r;
        }
        return response(200, "application/json", OrderJson.write(confirmedJson(order.get())));
    }

    static ObjectNode confirmedJson(ConfirmedOrder order) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("orderId", order.orderId().value());
        json.put("status", "CONFIRMED");
        json.put("orderNumber", order.orderNumber().toString());
        // the submission as the client sent it (validated), plus the computed totals from the event contract
        ObjectNode submission = OrderSubmissionJson.write(order.order().submission());
        ObjectNode event = OrderConfirmedJson.toJson(OrderConfirmed.of(order));
        json.put("customerId", event.get("customerId").textValue());
        json.put("currency", event.get("currency").textValue());
        json.set("lines", event.get("lines"));
        json.put("total", event.get("total").textValue());
        if (submission.has("shippingAddress")) {
            json.set("shippingAddress", submission.get("shippingAddress"));
        }
        if (submission.has("attributes")) {
            json.set("attributes", submission.get("attributes"));
        }
        json.put("submittedAt", order.order().submittedAt().toString());
        json.put("confirmedAt", order.confirmedAt().toString());
        return json;
    }

    private String noCustomerDetail() {
        return "The token has no claim '" + auth.claimName().orElse("") + "' with a valid customer id (1.."
                + CustomerId.MAX_LENGTH + " of A-Z a-z 0-9 . _ : @ -).";
    }

    private APIGatewayV2HTTPResponse reject(ProblemType type, String detail) {
        metrics.rejected(type);
        return problem(type, detail);
    }

    private APIGatewayV2HTTPResponse methodNotAllowed(String allowed) {
        APIGatewayV2HTTPResponse r = problem(ProblemType.METHOD_NOT_ALLOWED, "This resource allows " + allowed + " only.");
        r.getHeaders().put("Allow", allowed);
        return r;
    }

    private APIGatewayV2HTTPResponse validationProblem(List<FieldError> errors) {
        ObjectNode json = problemJson(ProblemType.VALIDATION_FAILED,
                errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.");
        ArrayNode list = json.putArray("errors");
        for (FieldError e : errors) {
            ObjectNode item = list.addObject();
            item.put("pointer", e.pointer());
            item.put("code", e.code());
            item.put("detail", e.message());
        }
        return response(ProblemType.VALIDATION_FAILED.status(), "application/problem+json", OrderJson.write(json));
    }

    static APIGatewayV2HTTPResponse internalError() {
        return problem(ProblemType.INTERNAL_ERROR, "Something went wrong on our side. Retry later.");
    }

    static APIGatewayV2HTTPResponse problem(ProblemType type, String detail) {
        return response(type.status(), "application/problem+json", OrderJson.write(problemJson(type, detail)));
    }

    private static ObjectNode problemJson(ProblemType type, String detail) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", type.uri());
        json.put("title", type.title());
        json.put("status", type.status());
        json.put("detail", detail);
        return json;
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "no-store");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    private static boolean isJson(String contentType) {
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!"application/json".equals(parts[0].trim())) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim().replace(" ", "");
            if (param.startsWith("charset=") && !param.equals("charset=utf-8") && !param.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                && event.getRequestContext().getHttp().getMethod() != null) {
            return event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT);
        }
        String routeKey = event.getRouteKey();
        return routeKey != null && routeKey.contains(" ") ? routeKey.substring(0, routeKey.indexOf(' ')) : "";
    }

    private static String path(APIGatewayV2HTTPEvent event) {
        String path = event.getRawPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** HTTP API lowercases header names in payload 2.0; be tolerant of callers that don't. */
    private static Optional<String> header(APIGatewayV2HTTPEvent event, String lowerCaseName) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return Optional.ofNullable(h.getValue());
            }
        }
        return Optional.empty();
    }

    private static String correlationId(APIGatewayV2HTTPEvent event) {
        Optional<String> supplied = header(event, CORRELATION_HEADER);
        if (supplied.isPresent() && SAFE_CORRELATION_ID.matcher(supplied.get()).matches()) {
            return supplied.get();
        }
        if (event.getRequestContext() != null && event.getRequestContext().getRequestId() != null
                && SAFE_CORRELATION_ID.matcher(event.getRequestContext().getRequestId()).matches()) {
            return event.getRequestContext().getRequestId();
        }
        return UUID.randomUUID().toString();
    }
}
