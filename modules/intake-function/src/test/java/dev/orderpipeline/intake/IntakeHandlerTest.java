package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBase64Body;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBody;
import static dev.orderpipeline.intake.ApiGatewayEvents.withHeader;
import static dev.orderpipeline.intake.ApiGatewayEvents.withMethod;
import static dev.orderpipeline.intake.ApiGatewayEvents.withPath;
import static dev.orderpipeline.intake.ApiGatewayEvents.withRequestId;
import static dev.orderpipeline.intake.ApiGatewayEvents.withoutHeader;
import static dev.orderpipeline.intake.RecordingIntakeMetrics.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mockito.Mockito.mock;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.port.IdempotencyRecords;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderQueueUnavailableException;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The intake handler as API Gateway calls it: raw payload-2.0 events in, HTTP responses out, with a real
 * {@link SubmitOrder} over a recording queue, a fake lookup and a fixed clock. The invariant every rejection test
 * checks: a request that is not answered 202 never reaches the queue.
 */
class IntakeHandlerTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    /** The order id in {@code get-order-valid.json}. */
    private static final OrderId KNOWN_ORDER = new OrderId("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b");
    private static final String EVENT_CORRELATION_ID = "checkout-7f3a9c";
    private static final String EVENT_REQUEST_ID = "JKJaXmPLvHcESHA=";
    private static final String EVENT_IDEMPOTENCY_KEY = "checkout-2026-11-26-000123";

    private RecordingOrderQueue queue = RecordingOrderQueue.acknowledging();
    private FakeOrderLookup lookup = FakeOrderLookup.empty();
    private IdempotencyRecords records = new InMemoryIdempotencyRecords();
    private final RecordingIntakeMetrics metrics = new RecordingIntakeMetrics();

    // ---------------------------------------------------------------- helpers

    private APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        return invoke(event, LambdaContexts.mocked());
    }

    private APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event, Context context) {
        IntakeHandler handler = new IntakeHandler(new SubmitOrder(queue, lookup, records,
                SubmitOrder.DEFAULT_IDEMPOTENCY_WINDOW, Clock.fixed(NOW, ZoneOffset.UTC)), metrics);
        return OpenApiContract.assertConforms(event, handler.handleRequest(event, context));
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        return OrderJson.parse(response.getBody());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Asserts the RFC 9457 shape of a problem response and returns its body. */
    private static JsonNode assertProblem(APIGatewayV2HTTPResponse response, ProblemType type) {
        assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(type.status());
        assertThat(response.getHeaders()).containsEntry("Content-Type", PROBLEM_JSON).doesNotContainKey("Location");
        JsonNode problem = json(response);
        assertThat(problem.get("type").textValue()).isEqualTo("urn:order-pipeline:problem:" + type.slug());
        assertThat(problem.get("title").textValue()).isEqualTo(type.title());
        assertThat(problem.get("status").intValue()).isEqualTo(type.status());
        assertThat(problem.get("detail").textValue()).isNotBlank();
        return problem;
    }

    private static String validBody() {
        return load("post-order-valid.json").getBody();
    }

    /** The valid body followed by insignificant whitespace, {@code size} bytes in all. */
    private static String validBodyOfSize(int size) {
        String body = validBody();
        return body + " ".repeat(size - body.getBytes(StandardCharsets.UTF_8).length);
    }

    /** The valid event with {@code body} as its body and {@code isBase64Encoded} set, whatever the body is. */
    private static APIGatewayV2HTTPEvent markedBase64(String body) {
        APIGatewayV2HTTPEvent event = withBody(load("post-order-valid.json"), body);
        event.setIsBase64Encoded(true);
        return event;
    }

    /** The client's {@code x-correlation-id} if it sent one, else API Gateway's request id (all recorded ones are safe). */
    private static String expectedCorrelationId(APIGatewayV2HTTPEvent event) {
        return event.getHeaders().getOrDefault("x-correlation-id", event.getRequestContext().getRequestId());
    }

    private static String orderIdOf(APIGatewayV2HTTPResponse accepted) {
        assertThat(accepted.getStatusCode()).as("status of %s", accepted.getBody()).isEqualTo(202);
        return json(accepted).get("orderId").textValue();
    }

    // ---------------------------------------------------------------- the problem catalogue

    @Test
    void problemType_whenListed_keepsEveryDocumentedStatusAndUri() {
        // clients branch on these URIs: changing or removing one is a breaking API change
        assertThat(ProblemType.values())
                .extracting(ProblemType::status, ProblemType::uri)
                .containsExactly(
                        tuple(400, "urn:order-pipeline:problem:malformed-json"),
                        tuple(400, "urn:order-pipeline:problem:empty-body"),
                        tuple(400, "urn:order-pipeline:problem:invalid-idempotency-key"),
                        tuple(400, "urn:order-pipeline:problem:invalid-order-id"),
                        tuple(403, "urn:order-pipeline:problem:forbidden"),
                        tuple(404, "urn:order-pipeline:problem:order-not-found"),
                        tuple(404, "urn:order-pipeline:problem:route-not-found"),
                        tuple(405, "urn:order-pipeline:problem:method-not-allowed"),
                        tuple(413, "urn:order-pipeline:problem:payload-too-large"),
                        tuple(415, "urn:order-pipeline:problem:unsupported-media-type"),
                        tuple(422, "urn:order-pipeline:problem:validation-failed"),
                        tuple(422, "urn:order-pipeline:problem:idempotency-key-reused"),
                        tuple(500, "urn:order-pipeline:problem:internal-error"),
                        tuple(503, "urn:order-pipeline:problem:queue-unavailable"),
                        tuple(503, "urn:order-pipeline:problem:store-unavailable"));
    }

    // ---------------------------------------------------------------- POST /orders, accepted

    @Nested
    class Accepted {
        @Test
        void handleRequest_whenOrderIsValid_answers202WithPendingOrderAndLocation() {
            APIGatewayV2HTTPResponse response = invoke(load("post-order-valid.json"));

            assertThat(response.getStatusCode()).isEqualTo(202);
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
            JsonNode body = json(response);
            assertThat(fieldNames(body)).containsExactly("orderId", "status", "submittedAt");
            assertThat(body.get("orderId").textValue()).matches(UUID_PATTERN);
            assertThat(body.get("status").textValue()).isEqualTo("PENDING");
            assertThat(body.get("submittedAt").textValue()).isEqualTo("2026-11-26T10:00:00.123Z");
            assertThat(response.getHeaders()).containsEntry("Location", "/orders/" + body.get("orderId").textValue());
        }

        @Test
        void handleRequest_whenOrderIsValid_enqueuesExactlyOneMessageWithTheSubmittedOrder() {
            String orderId = orderIdOf(invoke(load("post-order-valid.json")));

            assertThat(queue.attempts()).isEqualTo(1);
            assertThat(queue.sent()).singleElement().satisfies(sent -> {
                assertThat(sent.order()).isEqualTo(new PendingOrder(new OrderId(orderId), NOW, TestOrders.validEventSubmission()));
                assertThat(sent.correlationId()).isEqualTo(EVENT_CORRELATION_ID);
            });
        }

        @Test
        void handleRequest_whenOrderIsValid_countsOneAcceptedOrderAndNoRejection() {
            invoke(load("post-order-valid.json"));

            assertThat(metrics.recorded()).containsExactly("accepted");
        }

        @Test
        void handleRequest_whenBodyIsBase64Encoded_decodesItAsUtf8BeforeValidating() {
            String orderId = orderIdOf(invoke(load("post-order-base64.json")));

            assertThat(queue.sent()).singleElement().satisfies(sent ->
                    assertThat(sent.order()).isEqualTo(new PendingOrder(new OrderId(orderId), NOW, TestOrders.base64EventSubmission())));
            assertThat(metrics.recorded()).containsExactly("accepted");
        }

        @Test
        void handleRequest_whenPathHasTrailingSlash_stillSubmitsTheOrder() {
            APIGatewayV2HTTPResponse response = invoke(withPath(load("post-order-valid.json"), "/orders/"));

            String orderId = orderIdOf(response);
            assertThat(response.getHeaders()).containsEntry("Location", "/orders/" + orderId);
            assertThat(queue.sent()).hasSize(1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/json; charset=UTF-8", "application/json;charset=\"utf-8\"", "Application/JSON"})
        void handleRequest_whenContentTypeIsJsonInUtf8_acceptsTheOrder(String contentType) {
            orderIdOf(invoke(withHeader(load("post-order-valid.json"), "content-type", contentType)));

            assertThat(queue.sent()).hasSize(1);
        }

        @Test
        void handleRequest_whenBodyIsExactly64KiB_acceptsIt() {
            APIGatewayV2HTTPEvent event = withBody(load("post-order-valid.json"), validBodyOfSize(64 * 1024));

            orderIdOf(invoke(event));

            assertThat(queue.sent()).hasSize(1);
        }

        @Test
        void handleRequest_whenBase64BodyDecodesToExactly64KiB_acceptsIt() {
            // the cap applies to the decoded body: the base64 text itself is a third longer
            byte[] body = validBodyOfSize(64 * 1024).getBytes(StandardCharsets.UTF_8);
            APIGatewayV2HTTPEvent event = withBase64Body(load("post-order-valid.json"), body);
            assertThat(event.getBody().length()).isGreaterThan(64 * 1024);

            orderIdOf(invoke(event));

            assertThat(queue.sent()).hasSize(1);
        }

        @Test
        void handleRequest_whenIdempotencyKeyHas128PrintableCharacters_acceptsIt() {
            String key = "k".repeat(127) + "~";

            String orderId = orderIdOf(invoke(withHeader(load("post-order-valid.json"), "idempotency-key", key)));

            assertThat(orderId).isEqualTo(OrderId.fromIdempotencyKey(new CustomerId("cust-42"), new IdempotencyKey(key)).value());
        }

        @Test
        void handleRequest_whenContextIsAnUnstubbedMock_stillAnswers() {
            APIGatewayV2HTTPResponse response = invoke(load("post-order-valid.json"), mock(Context.class));

            orderIdOf(response);
            assertThat(queue.sent()).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- idempotency

    @Nested
    class Idempotency {
        @Test
        void handleRequest_whenSameKeyAndCustomerAreSentTwice_answersTheSameOrderIdBothTimes() {
            APIGatewayV2HTTPResponse first = invoke(load("post-order-idempotency-key.json"));
            APIGatewayV2HTTPResponse retry = invoke(load("post-order-idempotency-key.json"));

            String id = orderIdOf(first);
            assertThat(orderIdOf(retry)).isEqualTo(id);
            assertThat(first.getHeaders().get("Location")).isEqualTo("/orders/" + id);
            assertThat(retry.getHeaders().get("Location")).isEqualTo("/orders/" + id);
            assertThat(id).isEqualTo(OrderId.fromIdempotencyKey(new CustomerId("cust-42"), new IdempotencyKey(EVENT_IDEMPOTENCY_KEY)).value());
            // intake enqueues both; the confirmation stage collapses them on the order id
            assertThat(queue.sent()).extracting(sent -> sent.order().orderId().value()).containsExactly(id, id);
            assertThat(metrics.recorded()).containsExactly("accepted", "accepted");
        }

        @Test
        void handleRequest_whenKeysDiffer_answersDifferentOrderIds() {
            String first = orderIdOf(invoke(load("post-order-idempotency-key.json")));
            String second = orderIdOf(invoke(withHeader(load("post-order-idempotency-key.json"), "idempotency-key", "checkout-2026-11-26-000124")));

            assertThat(second).isNotEqualTo(first);
            assertThat(queue.sent()).extracting(sent -> sent.order().orderId().value()).containsExactly(first, second);
        }

        @Test
        void handleRequest_whenAnotherCustomerReusesTheKey_answersADifferentOrderId() {
            String first = orderIdOf(invoke(load("post-order-idempotency-key.json")));
            String otherCustomer = orderIdOf(invoke(withBody(load("post-order-idempotency-key.json"),
                    validBody().replace("\"cust-42\"", "\"cust-43\""))));

            assertThat(otherCustomer).isNotEqualTo(first);
        }

        private ConfirmedOrder confirmedUnderEventKey(OrderSubmission submission) {
            OrderId id = OrderId.fromIdempotencyKey(new CustomerId("cust-42"), new IdempotencyKey(EVENT_IDEMPOTENCY_KEY));
            return new ConfirmedOrder(new PendingOrder(id, NOW.minusSeconds(60), submission), new OrderNumber(7),
                    NOW.minusSeconds(59), OrderFingerprint.of(submission));
        }

        @Test
        void handleRequest_whenKeyNamesAConfirmedOrderWithOtherContent_answers422AndEnqueuesNothing() {
            OrderSubmission earlier = TestOrders.validEventSubmission();
            OrderSubmission different = new OrderSubmission(earlier.customerId(), earlier.currency(), earlier.lines().subList(0, 1),
                    earlier.shippingAddress(), earlier.attributes());
            lookup = FakeOrderLookup.with(confirmedUnderEventKey(different));

            APIGatewayV2HTTPResponse response = invoke(load("post-order-idempotency-key.json"));

            JsonNode problem = assertProblem(response, ProblemType.IDEMPOTENCY_KEY_REUSED);
            assertThat(problem.get("detail").textValue()).doesNotContain(EVENT_IDEMPOTENCY_KEY);
            assertThat(queue.attempts()).isZero();
            assertThat(metrics.recorded()).containsExactly(rejection(ProblemType.IDEMPOTENCY_KEY_REUSED));
        }

        @Test
        void handleRequest_whenKeyNamesAConfirmedOrderWithTheSameContent_answersTheFirstAcceptanceAgain() {
            ConfirmedOrder confirmed = confirmedUnderEventKey(TestOrders.validEventSubmission());
            lookup = FakeOrderLookup.with(confirmed);

            APIGatewayV2HTTPResponse response = invoke(load("post-order-idempotency-key.json"));

            assertThat(orderIdOf(response)).isEqualTo(confirmed.orderId().value());
            assertThat(json(response).get("submittedAt").textValue()).isEqualTo(NOW.minusSeconds(60).toString());
            assertThat(queue.attempts()).as("a confirmed order needs no message").isZero();
            assertThat(metrics.recorded()).containsExactly("accepted");
        }

        @Test
        void handleRequest_whenTheConfirmedCheckCannotReachTheStore_letsTheKeysRecordDecide() {
            lookup = FakeOrderLookup.failingWith(() -> new OrderStoreUnavailableException("throttled", new RuntimeException("throttled")));

            orderIdOf(invoke(load("post-order-idempotency-key.json")));

            assertThat(queue.sent()).hasSize(1);
        }

        @Test
        void handleRequest_whenKeyIsInFlightWithOtherContent_answers422AtOnceAndEnqueuesOnlyTheFirst() {
            String first = orderIdOf(invoke(load("post-order-idempotency-key.json")));

            APIGatewayV2HTTPResponse reuse = invoke(withBody(load("post-order-idempotency-key.json"),
                    validBody().replace("\"quantity\":2", "\"quantity\":3")));

            assertProblem(reuse, ProblemType.IDEMPOTENCY_KEY_REUSED);
            assertThat(queue.sent()).extracting(sent -> sent.order().orderId().value()).containsExactly(first);
        }

        @Test
        void handleRequest_whenTheKeyCannotBeClaimed_answers503StoreUnavailableAndEnqueuesNothing() {
            records = (record, now) -> {
                throw new OrderStoreUnavailableException("throttled", new RuntimeException("throttled"));
            };

            APIGatewayV2HTTPResponse response = invoke(load("post-order-idempotency-key.json"));

            assertProblem(response, ProblemType.STORE_UNAVAILABLE);
            assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
            assertThat(queue.attempts()).isZero();
            assertThat(metrics.recorded()).containsExactly(rejection(ProblemType.STORE_UNAVAILABLE));
        }

        @Test
        void handleRequest_whenNoKeyIsSent_answersAFreshOrderIdEachTime() {
            String first = orderIdOf(invoke(load("post-order-valid.json")));
            String second = orderIdOf(invoke(load("post-order-valid.json")));

            assertThat(first).matches(UUID_PATTERN);
            assertThat(second).matches(UUID_PATTERN).isNotEqualTo(first);
            assertThat(queue.sent()).extracting(sent -> sent.order().orderId().value()).containsExactly(first, second);
        }
    }

    // ---------------------------------------------------------------- POST /orders, rejected

    static Stream<Arguments> rejectedSubmissions() {
        return Stream.of(
                arguments(named("malformed JSON", load("post-order-malformed-json.json")), ProblemType.MALFORMED_JSON),
                arguments(named("body marked base64 that is not base64",
                        markedBase64("not base64!")), ProblemType.MALFORMED_JSON),
                arguments(named("body that is not UTF-8",
                        withBase64Body(load("post-order-valid.json"), new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', '}'})),
                        ProblemType.MALFORMED_JSON),
                arguments(named("request without body", load("post-order-empty-body.json")), ProblemType.EMPTY_BODY),
                arguments(named("empty body", withBody(load("post-order-valid.json"), "")), ProblemType.EMPTY_BODY),
                arguments(named("idempotency key of 129 characters",
                        withHeader(load("post-order-valid.json"), "idempotency-key", "k".repeat(129))), ProblemType.INVALID_IDEMPOTENCY_KEY),
                arguments(named("non-ASCII idempotency key",
                        withHeader(load("post-order-valid.json"), "idempotency-key", "bestellung-ä-1")), ProblemType.INVALID_IDEMPOTENCY_KEY),
                arguments(named("idempotency key with a space",
                        withHeader(load("post-order-valid.json"), "idempotency-key", "order 1")), ProblemType.INVALID_IDEMPOTENCY_KEY),
                arguments(named("empty idempotency key",
                        withHeader(load("post-order-valid.json"), "idempotency-key", "")), ProblemType.INVALID_IDEMPOTENCY_KEY),
                arguments(named("body of 64 KiB + 1 byte",
                        withBody(load("post-order-valid.json"), validBodyOfSize(64 * 1024 + 1))), ProblemType.PAYLOAD_TOO_LARGE),
                arguments(named("base64 body decoding to 64 KiB + 1 byte",
                        withBase64Body(load("post-order-valid.json"), validBodyOfSize(64 * 1024 + 1).getBytes(StandardCharsets.UTF_8))),
                        ProblemType.PAYLOAD_TOO_LARGE),
                arguments(named("text/plain", load("post-order-wrong-content-type.json")), ProblemType.UNSUPPORTED_MEDIA_TYPE),
                arguments(named("no content type", withoutHeader(load("post-order-valid.json"), "content-type")),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE),
                arguments(named("JSON in ISO-8859-1",
                        withHeader(load("post-order-valid.json"), "content-type", "application/json; charset=iso-8859-1")),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE),
                arguments(named("order breaking several rules", load("post-order-invalid.json")), ProblemType.VALIDATION_FAILED),
                arguments(named("JSON array instead of an order", withBody(load("post-order-valid.json"), "[" + validBody() + "]")),
                        ProblemType.VALIDATION_FAILED));
    }

    @Nested
    class Rejected {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.orderpipeline.intake.IntakeHandlerTest#rejectedSubmissions")
        void handleRequest_whenSubmissionIsRejected_answersTheProblemAndEnqueuesNothing(APIGatewayV2HTTPEvent event, ProblemType expected) {
            APIGatewayV2HTTPResponse response = invoke(event);

            assertProblem(response, expected);
            assertThat(queue.attempts()).as("calls to the queue").isZero();
            assertThat(metrics.recorded()).containsExactly(rejection(expected));
            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", expectedCorrelationId(event));
        }

        @Test
        void handleRequest_whenJsonEndsEarly_saysWhereWithoutQuotingTheBody() {
            JsonNode problem = assertProblem(invoke(load("post-order-malformed-json.json")), ProblemType.MALFORMED_JSON);

            assertThat(problem.get("detail").textValue()).matches("^The body is not valid JSON: the JSON ends early \\(line 1, column \\d+\\)\\.$");
        }

        @Test
        void handleRequest_whenBodyIsMissing_explainsWhatToSend() {
            JsonNode problem = assertProblem(invoke(load("post-order-empty-body.json")), ProblemType.EMPTY_BODY);

            assertThat(problem.get("detail").textValue()).isEqualTo("Send the order as a JSON object in the request body.");
        }

        @Test
        void handleRequest_whenIdempotencyKeyIsInvalid_statesTheRule() {
            JsonNode problem = assertProblem(invoke(withHeader(load("post-order-valid.json"), "idempotency-key", "k".repeat(129))),
                    ProblemType.INVALID_IDEMPOTENCY_KEY);

            assertThat(problem.get("detail").textValue())
                    .isEqualTo("Idempotency-Key must be 1..128 printable ASCII characters without spaces.");
        }

        @Test
        void handleRequest_whenIdempotencyKeyAndContentTypeAreBothWrong_answersUnsupportedMediaTypeFirst() {
            APIGatewayV2HTTPEvent event = withHeader(load("post-order-wrong-content-type.json"), "idempotency-key", "order 1");

            assertProblem(invoke(event), ProblemType.UNSUPPORTED_MEDIA_TYPE);
            assertThat(metrics.recorded()).containsExactly(rejection(ProblemType.UNSUPPORTED_MEDIA_TYPE));
        }

        @Test
        void handleRequest_whenBodyIsTooLarge_namesTheLimitInBytes() {
            JsonNode problem = assertProblem(invoke(withBody(load("post-order-valid.json"), validBodyOfSize(70_000))),
                    ProblemType.PAYLOAD_TOO_LARGE);

            assertThat(problem.get("detail").textValue()).isEqualTo("The body must not exceed 65536 bytes.");
        }

        @Test
        void handleRequest_whenContentTypeIsNotJson_asksForJson() {
            JsonNode problem = assertProblem(invoke(load("post-order-wrong-content-type.json")), ProblemType.UNSUPPORTED_MEDIA_TYPE);

            assertThat(problem.get("detail").textValue()).isEqualTo("Send the order with Content-Type: application/json.");
        }

        @ParameterizedTest
        @Event(value = "apigw/post-order-invalid.json", type = APIGatewayV2HTTPEvent.class)
        void handleRequest_whenOrderBreaksSeveralRules_answers422WithEveryFieldError(APIGatewayV2HTTPEvent event) {
            JsonNode problem = assertProblem(invoke(event), ProblemType.VALIDATION_FAILED);

            assertThat(problem.get("detail").textValue()).isEqualTo("8 fields are invalid.");
            assertThat(problem.get("errors"))
                    .allSatisfy(error -> {
                        assertThat(fieldNames(error)).containsExactly("pointer", "code", "detail");
                        assertThat(error.get("detail").textValue()).isNotBlank();
                    })
                    .extracting(error -> error.get("pointer").textValue(), error -> error.get("code").textValue())
                    .containsExactly(
                            tuple("/couponCode", "unknown_field"),
                            tuple("/customerId", "invalid_format"),
                            tuple("/currency", "unknown_currency"),
                            tuple("/lines/0/sku", "invalid_format"),
                            tuple("/lines/0/quantity", "out_of_range"),
                            tuple("/lines/1/unitPrice", "type"),
                            tuple("/shippingAddress/postalCode", "required"),
                            tuple("/shippingAddress/country", "invalid_format"));
            assertThat(queue.attempts()).isZero();
            assertThat(metrics.recorded()).containsExactly(rejection(ProblemType.VALIDATION_FAILED));
        }

        @Test
        void handleRequest_whenOneFieldIsInvalid_saysOneField() {
            APIGatewayV2HTTPEvent event = withBody(load("post-order-valid.json"), validBody().replace("\"quantity\":2", "\"quantity\":0"));

            JsonNode problem = assertProblem(invoke(event), ProblemType.VALIDATION_FAILED);

            assertThat(problem.get("detail").textValue()).isEqualTo("1 field is invalid.");
            assertThat(problem.get("errors")).singleElement().satisfies(error -> {
                assertThat(error.get("pointer").textValue()).isEqualTo("/lines/0/quantity");
                assertThat(error.get("code").textValue()).isEqualTo("out_of_range");
                assertThat(error.get("detail").textValue()).isEqualTo("quantity must be between 1 and 10000");
            });
            assertThat(queue.attempts()).isZero();
        }
    }

    // ---------------------------------------------------------------- nothing submitted is echoed

    static Stream<Arguments> rejectedSubmissionsWithTheirValues() {
        return Stream.of(
                arguments(named("invalid order", load("post-order-invalid.json")), List.of(
                        "Jane Doe", "jane.doe@example.com", "EURO", "SECRET-COUPON-2026", "sku lowercase 001",
                        "742 Evergreen Terrace", "Springfield", "Freedonia")),
                arguments(named("malformed JSON", load("post-order-malformed-json.json")),
                        List.of("cust-malformed-99", "SKU-SECRET-1", "9.99")),
                arguments(named("invalid attribute value from a valid customer", withBody(load("post-order-valid.json"),
                        validBody().replace("\"cust-42\"", "\"cust-secret-777\"")
                                .replace("\"yes\"", "\"Happy birthday, Grace\\u0007\""))),
                        List.of("cust-secret-777", "Happy birthday, Grace", "Ada Lovelace", "SW1Y 4JH")),
                arguments(named("invalid idempotency key", withHeader(load("post-order-valid.json"), "idempotency-key", "secret key 42")),
                        List.of("secret key 42", "cust-42", "SKU-1")),
                arguments(named("unsupported media type", load("post-order-wrong-content-type.json")),
                        List.of("text/plain", "cust-42", "Ada Lovelace")),
                arguments(named("body too large", withBody(load("post-order-valid.json"), validBodyOfSize(70_000))),
                        List.of("cust-42", "Ada Lovelace", "SKU-2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedSubmissionsWithTheirValues")
    void handleRequest_whenSubmissionIsRejected_neverEchoesSubmittedValues(APIGatewayV2HTTPEvent event, List<String> submitted) {
        APIGatewayV2HTTPResponse response = invoke(event);

        assertThat(response.getStatusCode()).isBetween(400, 499);
        for (String value : submitted) {
            assertThat(response.getBody()).as("problem body").doesNotContainIgnoringCase(value);
            assertThat(response.getHeaders().values()).as("response headers").noneMatch(h -> h.contains(value));
        }
        assertThat(queue.attempts()).isZero();
    }

    // ---------------------------------------------------------------- GET /orders/{orderId}

    @Nested
    class Lookup {
        private ConfirmedOrder confirmed() {
            PendingOrder pending = new PendingOrder(KNOWN_ORDER, NOW, TestOrders.validEventSubmission());
            return new ConfirmedOrder(pending, new OrderNumber(42), Instant.parse("2026-11-26T10:00:01.456Z"),
                    OrderFingerprint.of(pending.submission()));
        }

        @Test
        void handleRequest_whenOrderIsConfirmed_answers200WithOrderNumberAndStatusConfirmed() {
            lookup = FakeOrderLookup.with(confirmed());

            APIGatewayV2HTTPResponse response = invoke(load("get-order-valid.json"));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json").containsEntry("Cache-Control", "no-store");
            assertThat(json(response)).isEqualTo(OrderJson.parse("""
                    {
                      "orderId": "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b",
                      "status": "CONFIRMED",
                      "orderNumber": "ORD-0000000042",
                      "customerId": "cust-42",
                      "currency": "EUR",
                      "lines": [
                        {"sku": "SKU-1", "quantity": 2, "unitPrice": "12.50", "lineTotal": "25.00"},
                        {"sku": "SKU-2", "quantity": 1, "unitPrice": "0.99", "lineTotal": "0.99"}
                      ],
                      "total": "25.99",
                      "shippingAddress": {
                        "name": "Ada Lovelace", "line1": "12 St James's Square", "city": "London",
                        "postalCode": "SW1Y 4JH", "country": "GB"
                      },
                      "attributes": {"giftWrap": "yes", "channel": "web"},
                      "submittedAt": "2026-11-26T10:00:00.123Z",
                      "confirmedAt": "2026-11-26T10:00:01.456Z"
                    }
                    """));
            assertThat(lookup.lookups()).containsExactly(KNOWN_ORDER);
        }

        @Test
        void handleRequest_whenOrderIsNotConfirmedYet_answers404WithRetryAfter() {
            APIGatewayV2HTTPResponse response = invoke(load("get-order-valid.json"));

            assertProblem(response, ProblemType.ORDER_NOT_FOUND);
            assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
            assertThat(lookup.lookups()).containsExactly(KNOWN_ORDER);
        }

        @Test
        void handleRequest_whenPathHasTrailingSlash_stillLooksTheOrderUp() {
            lookup = FakeOrderLookup.with(confirmed());

            APIGatewayV2HTTPResponse response = invoke(withPath(load("get-order-valid.json"), "/orders/" + KNOWN_ORDER.value() + "/"));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(json(response).get("orderNumber").textValue()).isEqualTo("ORD-0000000042");
        }

        @Test
        void handleRequest_whenOrderIdIsAnOrderNumber_answers400WithoutLookingItUp() {
            APIGatewayV2HTTPResponse response = invoke(load("get-order-malformed-id.json"));

            JsonNode problem = assertProblem(response, ProblemType.INVALID_ORDER_ID);
            assertThat(problem.get("detail").textValue()).doesNotContain("ORD-0000000042");
            assertThat(lookup.lookups()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B", "3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b", "{3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b}"})
        void handleRequest_whenOrderIdIsNotALowercaseCanonicalUuid_answers400(String id) {
            APIGatewayV2HTTPResponse response = invoke(withPath(load("get-order-valid.json"), "/orders/" + id));

            assertProblem(response, ProblemType.INVALID_ORDER_ID);
            assertThat(lookup.lookups()).isEmpty();
        }

        @Test
        void handleRequest_whenStoreIsUnavailable_answers503WithRetryAfter() {
            lookup = FakeOrderLookup.failingWith(() -> new OrderStoreUnavailableException("throttled", new RuntimeException("ProvisionedThroughputExceeded")));

            APIGatewayV2HTTPResponse response = invoke(load("get-order-valid.json"));

            assertProblem(response, ProblemType.STORE_UNAVAILABLE);
            assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
        }

        @Test
        void handleRequest_whenLookingUp_neverEnqueuesAndCountsNoOrderMetric() {
            invoke(load("get-order-valid.json"));
            invoke(load("get-order-malformed-id.json"));

            assertThat(queue.attempts()).isZero();
            assertThat(metrics.recorded()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- routing

    @Nested
    class Routing {
        @Test
        void handleRequest_whenRouteIsUnknown_answers404RouteNotFound() {
            APIGatewayV2HTTPResponse response = invoke(load("unknown-route.json"));

            assertProblem(response, ProblemType.ROUTE_NOT_FOUND);
            assertThat(queue.attempts()).isZero();
            assertThat(lookup.lookups()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "/order", "/orders/3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b/lines", "/orders//"})
        void handleRequest_whenPathIsNotAResource_answers404RouteNotFound(String path) {
            APIGatewayV2HTTPResponse response = invoke(withPath(load("post-order-valid.json"), path));

            assertProblem(response, ProblemType.ROUTE_NOT_FOUND);
            assertThat(queue.attempts()).isZero();
        }

        @Test
        void handleRequest_whenOrdersCollectionIsRead_answers405AllowingPost() {
            APIGatewayV2HTTPResponse response = invoke(load("wrong-method-get-orders.json"));

            assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
            assertThat(response.getHeaders()).containsEntry("Allow", "POST");
            assertThat(lookup.lookups()).isEmpty();
        }

        @Test
        void handleRequest_whenOrderIsDeleted_answers405AllowingGet() {
            APIGatewayV2HTTPResponse response = invoke(load("wrong-method-delete-order.json"));

            assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
            assertThat(response.getHeaders()).containsEntry("Allow", "GET");
            assertThat(lookup.lookups()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"PUT", "PATCH", "DELETE", "GET"})
        void handleRequest_whenOrdersIsCalledWithAnotherMethod_answers405AndEnqueuesNothing(String method) {
            APIGatewayV2HTTPResponse response = invoke(withMethod(load("post-order-valid.json"), method));

            assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
            assertThat(response.getHeaders()).containsEntry("Allow", "POST");
            assertThat(queue.attempts()).isZero();
            assertThat(metrics.recorded()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"POST", "PUT", "PATCH"})
        void handleRequest_whenOrderIsCalledWithAnotherMethod_answers405AllowingGet(String method) {
            APIGatewayV2HTTPEvent event = withMethod(withPath(load("post-order-valid.json"), "/orders/" + KNOWN_ORDER.value()), method);

            APIGatewayV2HTTPResponse response = invoke(event);

            assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
            assertThat(response.getHeaders()).containsEntry("Allow", "GET");
            assertThat(queue.attempts()).isZero();
        }
    }

    // ---------------------------------------------------------------- failing dependencies and bugs

    @Nested
    class Failures {
        @Test
        void handleRequest_whenQueueIsUnavailable_answers503WithRetryAfterAndDoesNotAccept() {
            queue = RecordingOrderQueue.failingWith(() -> new OrderQueueUnavailableException("the order queue did not accept the message",
                    new RuntimeException("SQS 500")));

            APIGatewayV2HTTPResponse response = invoke(load("post-order-idempotency-key.json"));

            JsonNode problem = assertProblem(response, ProblemType.QUEUE_UNAVAILABLE);
            assertThat(response.getStatusCode()).isNotEqualTo(202);
            assertThat(response.getHeaders()).containsEntry("Retry-After", "2");
            assertThat(problem.has("orderId")).isFalse();
            assertThat(problem.get("detail").textValue()).contains("may or may not have been queued").contains("same Idempotency-Key");
            assertThat(queue.attempts()).isEqualTo(1);
            assertThat(queue.sent()).isEmpty();
            assertThat(metrics.recorded()).containsExactly(rejection(ProblemType.QUEUE_UNAVAILABLE));
        }

        @Test
        void handleRequest_whenQueueFailsUnexpectedly_answers500ProblemWithoutInternals() {
            queue = RecordingOrderQueue.failingWith(() -> new IllegalStateException("bug at internal-host-17"));

            APIGatewayV2HTTPResponse response = invoke(load("post-order-valid.json"));

            JsonNode problem = assertProblem(response, ProblemType.INTERNAL_ERROR);
            assertThat(problem.get("detail").textValue()).isEqualTo("Something went wrong on our side. Retry later.");
            assertThat(response.getBody()).doesNotContain("internal-host-17").doesNotContain("IllegalStateException");
            assertThat(metrics.recorded()).doesNotContain("accepted");
        }

        @Test
        void handleRequest_whenFailingUnexpectedly_stillEchoesTheCorrelationId() {
            // the one id a client can quote when reporting a 500
            queue = RecordingOrderQueue.failingWith(() -> new IllegalStateException("bug"));

            APIGatewayV2HTTPResponse response = invoke(load("post-order-valid.json"));

            assertProblem(response, ProblemType.INTERNAL_ERROR);
            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", EVENT_CORRELATION_ID);
        }

        @Test
        void handleRequest_whenLookupFailsUnexpectedly_answers500Problem() {
            lookup = FakeOrderLookup.failingWith(() -> new NullPointerException("item had no attribute 'orderNumber'"));

            APIGatewayV2HTTPResponse response = invoke(load("get-order-valid.json"));

            assertProblem(response, ProblemType.INTERNAL_ERROR);
            assertThat(response.getBody()).doesNotContain("orderNumber");
        }
    }

    // ---------------------------------------------------------------- correlation id

    @Nested
    class Correlation {
        @Test
        void handleRequest_whenCorrelationIdIsSent_passesItToTheQueueAndEchoesIt() {
            APIGatewayV2HTTPResponse response = invoke(load("post-order-valid.json"));

            assertThat(queue.sent()).singleElement().extracting(RecordingOrderQueue.Sent::correlationId).isEqualTo(EVENT_CORRELATION_ID);
            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", EVENT_CORRELATION_ID);
        }

        @Test
        void handleRequest_whenNoCorrelationIdIsSent_usesTheApiGatewayRequestId() {
            APIGatewayV2HTTPResponse response = invoke(withoutHeader(load("post-order-valid.json"), "x-correlation-id"));

            // HTTP API request ids look like "JKJaXmPLvHcESHA=": the trailing '=' must not disqualify them
            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", EVENT_REQUEST_ID);
            assertThat(queue.sent()).singleElement().extracting(RecordingOrderQueue.Sent::correlationId).isEqualTo(EVENT_REQUEST_ID);
        }

        @ParameterizedTest
        @ValueSource(strings = {"two words", "evil\r\nSet-Cookie: session=1", "ünïcode", ""})
        void handleRequest_whenCorrelationIdIsUnsafe_replacesItWithTheRequestId(String unsafe) {
            APIGatewayV2HTTPResponse response = invoke(withHeader(load("post-order-valid.json"), "x-correlation-id", unsafe));

            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", EVENT_REQUEST_ID);
            assertThat(queue.sent()).singleElement().extracting(RecordingOrderQueue.Sent::correlationId).isEqualTo(EVENT_REQUEST_ID);
        }

        @Test
        void handleRequest_whenCorrelationIdIsLongerThan128_replacesIt() {
            APIGatewayV2HTTPResponse response = invoke(withHeader(load("post-order-valid.json"), "x-correlation-id", "c".repeat(129)));

            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", EVENT_REQUEST_ID);
        }

        @Test
        void handleRequest_whenNeitherCorrelationIdNorRequestIdIsUsable_generatesOneAndUsesItThroughout() {
            APIGatewayV2HTTPEvent event = withRequestId(withoutHeader(load("post-order-valid.json"), "x-correlation-id"), null);

            APIGatewayV2HTTPResponse response = invoke(event);

            String generated = response.getHeaders().get("X-Correlation-Id");
            assertThat(generated).matches(UUID_PATTERN);
            assertThat(queue.sent()).singleElement().extracting(RecordingOrderQueue.Sent::correlationId).isEqualTo(generated);
        }

        @ParameterizedTest(name = "recorded event {index}")
        @Events(folder = "apigw", type = APIGatewayV2HTTPEvent.class)
        void handleRequest_whenAnyRecordedEventArrives_answersJsonWithCorrelationIdAndNoStore(APIGatewayV2HTTPEvent event) {
            APIGatewayV2HTTPResponse response = invoke(event);

            assertThat(response.getStatusCode()).isIn(202, 400, 404, 405, 415, 422);
            assertThat(response.getHeaders()).containsKeys("X-Correlation-Id", "Content-Type").containsEntry("Cache-Control", "no-store");
            assertThat(response.getHeaders().get("Content-Type")).isIn("application/json", PROBLEM_JSON);
            assertThat(response.getIsBase64Encoded()).isFalse();
            assertThat(json(response).isObject()).isTrue();
            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", expectedCorrelationId(event));
            assertThat(queue.sent()).hasSize(response.getStatusCode() == 202 ? 1 : 0);
        }
    }
}
