package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.PendingOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Orders belong to a customer under JWT auth: the customer is the token's claim, a body naming another customer is
 * refused (403), and another customer's order reads exactly like an unknown id (404, same body). Under IAM auth,
 * callers are trusted services that name the customer in the body.
 */
class OwnershipTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    /** The order id in {@code get-order-valid.json}. */
    private static final OrderId KNOWN_ORDER = new OrderId("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b");

    private final RecordingOrderQueue queue = RecordingOrderQueue.acknowledging();
    private final RecordingIntakeMetrics metrics = new RecordingIntakeMetrics();
    private FakeOrderLookup lookup = FakeOrderLookup.empty();
    private CustomerAuth auth = CustomerAuth.jwt("sub");

    private APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        SubmitOrder submitOrder = new SubmitOrder(queue, lookup, new InMemoryIdempotencyRecords(),
                SubmitOrder.DEFAULT_IDEMPOTENCY_WINDOW, Clock.fixed(NOW, ZoneOffset.UTC));
        return OpenApiContract.assertConforms(event,
                new IntakeHandler(submitOrder, metrics, auth).handleRequest(event, LambdaContexts.mocked()));
    }

    /** The event as API Gateway's JWT authorizer passes it: the verified token's claims in the request context. */
    private static APIGatewayV2HTTPEvent withClaims(APIGatewayV2HTTPEvent event, Map<String, String> claims) {
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build());
        return event;
    }

    private static APIGatewayV2HTTPEvent as(String customer, APIGatewayV2HTTPEvent event) {
        return withClaims(event, Map.of("sub", customer));
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        return OrderJson.parse(response.getBody());
    }

    private static ConfirmedOrder confirmedFor(String customer) {
        var submission = TestOrders.validEventSubmission();
        submission = new dev.orderpipeline.domain.model.OrderSubmission(new CustomerId(customer), submission.currency(),
                submission.lines(), submission.shippingAddress(), submission.attributes());
        return new ConfirmedOrder(new PendingOrder(KNOWN_ORDER, NOW, submission), new OrderNumber(42), NOW.plusSeconds(1),
                OrderFingerprint.of(submission));
    }

    @Test
    void submit_whenTheRecordedJwtEventLeavesCustomerIdOut_fillsItFromTheSubClaim() {
        APIGatewayV2HTTPResponse response = invoke(load("post-order-jwt.json"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(queue.sent()).singleElement().satisfies(sent ->
                assertThat(sent.order().submission().customerId()).isEqualTo(new CustomerId("cust-42")));
        assertThat(json(response).get("orderId").textValue()).isEqualTo(OrderId.fromIdempotencyKey(
                new CustomerId("cust-42"), new IdempotencyKey("checkout-2026-11-26-000777")).value());
    }

    @Test
    void submit_whenBodyNamesTheTokensCustomer_acceptsIt() {
        APIGatewayV2HTTPResponse response = invoke(as("cust-42", load("post-order-valid.json")));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void submit_whenBodyNamesAnotherCustomer_answers403AndEnqueuesNothing() {
        APIGatewayV2HTTPResponse response = invoke(as("cust-43", load("post-order-valid.json")));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(json(response).get("type").textValue()).isEqualTo(ProblemType.FORBIDDEN.uri());
        assertThat(json(response).get("detail").textValue()).doesNotContain("cust-42").doesNotContain("cust-43");
        assertThat(queue.attempts()).isZero();
        assertThat(metrics.recorded()).containsExactly(RecordingIntakeMetrics.rejection(ProblemType.FORBIDDEN));
    }

    @Test
    void submit_whenTheConfiguredClaimIsUsed_takesTheCustomerFromIt() {
        auth = CustomerAuth.jwt("custom:customerId");
        Map<String, String> claims = new HashMap<>(Map.of("sub", "user-123", "custom:customerId", "cust-42"));

        APIGatewayV2HTTPResponse response = invoke(withClaims(load("post-order-valid.json"), claims));

        assertThat(response.getStatusCode()).isEqualTo(202);
    }

    @Test
    void submit_whenTheTokenHasNoUsableCustomerClaim_answers403() {
        assertThat(invoke(withClaims(load("post-order-valid.json"), Map.of("iss", "x"))).getStatusCode()).isEqualTo(403);
        assertThat(invoke(as("not a customer id!", load("post-order-valid.json"))).getStatusCode()).isEqualTo(403);
        assertThat(invoke(load("post-order-valid.json")).getStatusCode()).as("no authorizer context at all").isEqualTo(403);
        assertThat(queue.attempts()).isZero();
    }

    @Test
    void submit_whenBodyHasNoCustomerIdUnderIamAuth_stillRequiresIt() {
        auth = CustomerAuth.iam();

        APIGatewayV2HTTPResponse response = invoke(load("post-order-jwt.json"));

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(response.getBody()).contains("/customerId");
    }

    @Test
    void submit_whenAnotherCustomerUsesTheSameKey_getsItsOwnOrder() {
        APIGatewayV2HTTPEvent mine = as("cust-42", load("post-order-jwt.json"));
        APIGatewayV2HTTPEvent theirs = as("cust-43", load("post-order-jwt.json"));

        String myId = json(invoke(mine)).get("orderId").textValue();
        APIGatewayV2HTTPResponse other = invoke(theirs);

        assertThat(other.getStatusCode()).as("same key, other customer: not a reuse").isEqualTo(202);
        assertThat(json(other).get("orderId").textValue()).isNotEqualTo(myId);
    }

    @Test
    void find_whenTheOrderIsTheCallers_answers200() {
        lookup = FakeOrderLookup.with(confirmedFor("cust-42"));

        APIGatewayV2HTTPResponse response = invoke(as("cust-42", load("get-order-valid.json")));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).get("customerId").textValue()).isEqualTo("cust-42");
    }

    @Test
    void find_whenTheOrderIsAnotherCustomers_answersExactlyLikeAnUnknownId() {
        lookup = FakeOrderLookup.with(confirmedFor("cust-42"));
        APIGatewayV2HTTPResponse foreign = invoke(as("cust-43", load("get-order-valid.json")));
        lookup = FakeOrderLookup.empty();
        APIGatewayV2HTTPResponse unknown = invoke(as("cust-43", load("get-order-valid.json")));

        assertThat(foreign.getStatusCode()).isEqualTo(404).isEqualTo(unknown.getStatusCode());
        assertThat(foreign.getHeaders()).isEqualTo(unknown.getHeaders());
        assertThat(foreign.getBody()).isEqualTo(unknown.getBody());
        assertThat(foreign.getBody()).doesNotContain("cust-42");
    }

    @Test
    void find_whenTheTokenHasNoCustomerClaim_answers403WithoutLookingUp() {
        lookup = FakeOrderLookup.with(confirmedFor("cust-42"));

        APIGatewayV2HTTPResponse response = invoke(withClaims(load("get-order-valid.json"), Map.of("iss", "x")));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(lookup.lookups()).isEmpty();
    }

    @Test
    void find_underIamAuth_answersAnyCustomersOrder() {
        auth = CustomerAuth.iam();
        lookup = FakeOrderLookup.with(confirmedFor("cust-42"));

        assertThat(invoke(load("get-order-valid.json")).getStatusCode()).isEqualTo(200);
    }

    @Test
    void from_whenModeOrClaimIsInvalid_failsInitNamingTheVariable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CustomerAuth.from(new dev.orderpipeline.aws.Env(Map.of("AUTH_MODE", "cookie"))))
                .hasMessageContaining("AUTH_MODE");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CustomerAuth.from(new dev.orderpipeline.aws.Env(
                Map.of("AUTH_MODE", "jwt", "JWT_CUSTOMER_CLAIM", "has space")))).hasMessageContaining("JWT_CUSTOMER_CLAIM");
        assertThat(CustomerAuth.from(new dev.orderpipeline.aws.Env(Map.of("AUTH_MODE", "jwt"))).claimName()).contains("sub");
        assertThat(CustomerAuth.from(new dev.orderpipeline.aws.Env(Map.of())).claimName()).isEmpty();
    }
}
