package dev.orderpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.aws.PrimingGuard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * SnapStart priming: before Lambda snapshots the initialised function, runs the real request path once so that
 * the first request after a restore finds its classes loaded and its code warm, as Powertools does for its own
 * idempotency store.
 *
 * <p>It handles three synthetic requests, one per SDK operation intake uses: {@code POST /orders} without an
 * {@code Idempotency-Key} (SQS {@code SendMessage}), with one (DynamoDB {@code GetItem} then the key's {@code PutItem}) and
 * {@code GET /orders/{orderId}} (DynamoDB {@code GetItem}). They go through a handler wired like the real one
 * (HTTP parsing, authentication, validation, the order's JSON, the use case, the adapters, SDK marshalling and
 * signing, the error path's problem JSON, the log layout) over clients built by {@link AwsClients#forPriming}:
 * a {@link PrimingGuard} stops each call before it leaves the process, and dummy credentials sign it. So priming
 * writes nothing to any queue or table, opens no connection and never resolves the function's own credentials; its
 * metrics go nowhere (no EMF line: dashboards and alarms see no priming). Its log lines carry {@code "priming":
 * "true"}. Each request is answered 503, which is the adapters' translation of the stopped call.
 *
 * <p>Why not prime the marshallers alone: the first request's cost is spread over Jackson, the JSON log layout,
 * validation and our own classes as much as the SDK, and only the real path loads exactly those.
 *
 * <p>{@link #afterRestore} has nothing to refresh, by construction: the primed objects are dropped when priming
 * ends, the real clients were never called (so no credentials or connections exist yet), and the handler holds no
 * random state or cached time (ids, jitter and clocks are read per request).
 */
final class IntakePriming implements Resource {
    static final String PRIMING_CORRELATION_ID = "snapstart-priming";
    private static final Logger LOG = LoggerFactory.getLogger(IntakePriming.class);
    private static final String ORDER_ID = "00000000-0000-4000-8000-000000000000";
    private static final String CUSTOMER = "snapstart-priming";

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

    /** Runs the synthetic requests; returns their responses and the SDK calls the guard stopped. */
    Result prime() {
        PrimingGuard guard = new PrimingGuard();
        CustomerAuth auth = CustomerAuth.from(env);
        IntakeHandler handler = new IntakeHandler(IntakeHandler.submitOrder(env, clients.forPriming(guard)),
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
            for (APIGatewayV2HTTPEvent event : List.of(post(auth, false), post(auth, true), get(auth))) {
                MDC.put("priming", "true"); // again each time: Powertools clears the MDC when an invocation ends
                responses.add(handler.handleRequest(event, null));
            }
        } finally {
            MDC.remove("priming");
        }
        LOG.info("SnapStart priming ran {} requests; SDK calls stopped before transmission: {}", responses.size(),
                guard.stoppedCalls());
        return new Result(responses, guard.stoppedCalls());
    }

    record Result(List<APIGatewayV2HTTPResponse> responses, List<String> stoppedCalls) {
    }

    private static APIGatewayV2HTTPEvent post(CustomerAuth auth, boolean withKey) {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json",
                "x-correlation-id", PRIMING_CORRELATION_ID));
        if (withKey) {
            headers.put("idempotency-key", "snapstart-priming");
        }
        String body = "{\"customerId\":\"" + CUSTOMER + "\",\"currency\":\"EUR\",\"lines\":["
                + "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":\"12.50\"},{\"sku\":\"SKU-2\",\"quantity\":1,\"unitPrice\":\"0.99\"}],"
                + "\"shippingAddress\":{\"name\":\"Ada Lovelace\",\"line1\":\"12 St James's Square\",\"city\":\"London\","
                + "\"postalCode\":\"SW1Y 4JH\",\"country\":\"GB\"},\"attributes\":{\"channel\":\"web\"}}";
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
