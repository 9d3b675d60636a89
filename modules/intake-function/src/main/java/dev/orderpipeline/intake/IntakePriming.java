package dev.orderpipeline.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.aws.PrimingHttpClient;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * SnapStart priming: before Lambda snapshots the initialised function, runs the real request path once so that
 * the first request after a restore finds its classes loaded and its code warm, as Powertools does for its own
 * idempotency store.
 *
 * <p>It handles the requests real traffic makes, on the success path each: {@code POST /orders} without an
 * {@code Idempotency-Key} (SQS {@code SendMessage}, 202), with one (DynamoDB {@code GetItem} finds no confirmed order,
 * the key's {@code PutItem}, {@code SendMessage}, 202), {@code GET /orders/{orderId}} of a confirmed order
 * ({@code GetItem}, 200), and one invalid order (422, the validation problem). They go through a handler wired like
 * the real one (HTTP parsing, authentication, validation, the order's JSON, the use case, the adapters, SDK
 * marshalling, signing and unmarshalling, the response JSON, the log layout) over clients built by
 * {@link AwsClients#forPriming}: a {@link PrimingHttpClient} answers each call in-process as the service would (the
 * confirmed order is the store's own item for it), and dummy credentials sign it. So priming writes nothing to any
 * queue or table, opens no connection and never resolves the function's own credentials; its metrics go nowhere (no
 * EMF line: dashboards and alarms see no priming; one EMF document is serialised and dropped, to warm what a flush
 * runs). Its log lines carry {@code "priming": "true"}.
 *
 * <p>Why not prime the marshallers alone: the first request's cost is spread over Jackson, the JSON log layout,
 * validation, the SDK's response handling and our own classes, and only the real path loads exactly those.
 *
 * <p>{@link #afterRestore} has nothing to refresh, by construction: the primed objects (handler, clients, answers) are
 * dropped when priming ends, the real clients were never called (so no credentials or connections exist yet), and
 * the handler holds no random state or cached time (ids, jitter and clocks are read per request; the synthetic
 * order's ids and instants are fixed).
 */
final class IntakePriming implements Resource {
    static final String PRIMING_CORRELATION_ID = "snapstart-priming";
    private static final Logger LOG = LoggerFactory.getLogger(IntakePriming.class);
    static final String ORDER_ID = "00000000-0000-4000-8000-000000000000";
    private static final String CUSTOMER = "snapstart-priming";
    private static final String ORDER = "{\"customerId\":\"" + CUSTOMER + "\",\"currency\":\"EUR\",\"lines\":["
            + "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":\"12.50\"},{\"sku\":\"SKU-2\",\"quantity\":1,\"unitPrice\":\"0.99\"}],"
            + "\"shippingAddress\":{\"name\":\"Ada Lovelace\",\"line1\":\"12 St James's Square\",\"city\":\"London\","
            + "\"postalCode\":\"SW1Y 4JH\",\"country\":\"GB\"},\"attributes\":{\"channel\":\"web\"}}";
    /** No lines: answered 422 before any SDK call. */
    private static final String INVALID_ORDER = "{\"customerId\":\"" + CUSTOMER + "\",\"currency\":\"EUR\",\"lines\":[]}";

    private final Env env;
    private final AwsClients clients;

    IntakePriming(Env env, AwsClients clients) {
        this.env = env;
        this.clients = clients;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: see the class comment
    }

    /** Runs the synthetic requests; returns their responses and the SDK calls answered in-process. */
    Result prime() {
        PrimingHttpClient http = PrimingHttpClient.answering(List.of(confirmedOrder()));
        CustomerAuth auth = CustomerAuth.from(env);
        IntakeHandler handler = new IntakeHandler(IntakeHandler.submitOrder(env, clients.forPriming(http)),
                new IntakeMetrics() {
                    @Override
                    public void accepted() {
                    }

                    @Override
                    public void rejected(ProblemType reason) {
                    }
                }, auth);
        List<APIGatewayV2HTTPResponse> responses = new ArrayList<>();
        try {
            for (APIGatewayV2HTTPEvent event : List.of(post(auth, ORDER, false), post(auth, ORDER, true), get(auth),
                    post(auth, INVALID_ORDER, false))) {
                MDC.put("priming", "true"); // again each time: Powertools clears the MDC when an invocation ends
                responses.add(handler.handleRequest(event, null));
            }
            primeMetricsSerialisation();
            MDC.put("priming", "true");
            LOG.info("SnapStart priming ran {} requests (statuses {}); SDK calls answered in-process: {}", responses.size(),
                    responses.stream().map(APIGatewayV2HTTPResponse::getStatusCode).toList(), http.calls());
        } finally {
            MDC.remove("priming");
        }
        return new Result(responses, http.calls());
    }

    /**
     * Builds and drops the EMF document a metrics flush writes. Priming's own metrics go nowhere, so without this the
     * first real flush after a restore pays for EMF's model classes and Jackson's serializers for them (most of what a
     * primed first invoke still loaded, by class-load logging); serialising a document without a sink prints nothing.
     */
    private static void primeMetricsSerialisation() {
        try {
            MetricsContext context = new MetricsContext();
            context.setNamespace("SnapStartPriming");
            context.putDimension(DimensionSet.of("Service", "snapstart-priming"));
            context.putMetric("OrdersAccepted", 1, Unit.COUNT);
            context.serialize();
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("SnapStart priming could not serialise a metrics document: {}", e.toString());
        }
    }

    record Result(List<APIGatewayV2HTTPResponse> responses, List<String> sdkCalls) {
    }

    /** What the priming GET finds: the synthetic order as confirmation would have stored it. */
    private static ConfirmedOrder confirmedOrder() {
        OrderSubmission submission = OrderSubmissionJson.read(ORDER.getBytes(StandardCharsets.UTF_8));
        PendingOrder pending = new PendingOrder(new OrderId(ORDER_ID), Instant.parse("2026-01-01T00:00:00Z"), submission);
        return new ConfirmedOrder(pending, new OrderNumber(1), Instant.parse("2026-01-01T00:00:01Z"),
                OrderFingerprint.of(submission));
    }

    private static APIGatewayV2HTTPEvent post(CustomerAuth auth, String body, boolean withKey) {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json",
                "x-correlation-id", PRIMING_CORRELATION_ID));
        if (withKey) {
            headers.put("idempotency-key", "snapstart-priming");
        }
        return event(auth, "POST", "/orders", headers).withBody(body).build();
    }

    private static APIGatewayV2HTTPEvent get(CustomerAuth auth) {
        return event(auth, "GET", "/orders/" + ORDER_ID, Map.of("x-correlation-id", PRIMING_CORRELATION_ID))
                .withPathParameters(Map.of("orderId", ORDER_ID)).build();
    }

    private static APIGatewayV2HTTPEvent.APIGatewayV2HTTPEventBuilder event(CustomerAuth auth, String method, String path,
                                                                            Map<String, String> headers) {
        var requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId(PRIMING_CORRELATION_ID)
                .withRouteKey(method + " " + path)
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build());
        // under AUTH_MODE=jwt the customer comes from the authorizer's claims, as API Gateway passes them
        auth.claimName().ifPresent(claim -> requestContext.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer
                .builder().withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of(claim, CUSTOMER)).build()).build()));
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + path)
                .withRawPath(path)
                .withHeaders(headers)
                .withRequestContext(requestContext.build())
                .withIsBase64Encoded(false);
    }
}
