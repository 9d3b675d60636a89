package dev.orderpipeline.local;

import static dev.orderpipeline.local.PipelineClient.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.aws.SqsOrderQueue;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.local.TestOrders.TestOrder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The {@code Idempotency-Key} promise over HTTP, on one local pipeline: the first submission with a key wins, by
 * submission order; every later request with other content is told so at once (422); concurrent requests are decided
 * by intake's conditional write; a key whose first request failed to enqueue is completed by its retry. Each test uses
 * its own keys, so they share the pipeline; what is checked is per order (its stored content, its number guards).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyRaceIT {
    private static final Duration CONFIRMATION = Duration.ofSeconds(120);
    private static final String REUSED = "urn:order-pipeline:problem:idempotency-key-reused";

    private final SendFailure sendFailure = new SendFailure();
    private LocalPipeline pipeline;
    private PipelineClient client;

    @BeforeAll
    void start() {
        // a realistic visibility timeout: a batch that is merely slow on a loaded machine is not delivered again
        pipeline = LocalPipeline.startWithFunctionInterceptors(LocalSettings.forTests().withVisibilityTimeout(30),
                List.of(sendFailure), List.of());
        client = new PipelineClient(pipeline);
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void submit_whenEachOf200KeysIsReusedAfterTheFirst202_thenTheFirstIsConfirmedAndEveryReuseIs422() throws Exception {
        int keys = 200;
        String run = UUID.randomUUID().toString();
        List<TestOrder> firsts = TestOrders.varied(keys, 1000);
        List<String> ids = new ArrayList<>();
        firsts.forEach(o -> ids.add(null));
        AtomicInteger rejected = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                int k = i;
                done.add(clients.submit(() -> {
                    String key = "a-then-b-" + run + "-" + k;
                    ids.set(k, PipelineClient.acceptedOrderId(client.submit(firsts.get(k).json(), key)));
                    HttpResponse<String> b = client.submit(firsts.get(k).withOneMoreUnit().json(), key);
                    assertThat(b.statusCode()).as("B after A's 202, key %d (%s)", k, b.body()).isEqualTo(422);
                    assertThat(parse(b.body()).path("type").asText()).isEqualTo(REUSED);
                    rejected.incrementAndGet();
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }

        Map<String, JsonNode> confirmed = client.awaitConfirmed(ids, CONFIRMATION);
        for (int i = 0; i < keys; i++) {
            assertThat(confirmed.get(ids.get(i)).path("total").asText()).as("confirmed total of key %d: A's, not B's", i)
                    .isEqualTo(firsts.get(i).expectedTotal());
        }
        assertThat(rejected).as("B requests answered 422").hasValue(keys);
        assertOneNumberEach(ids);
    }

    @Test
    void submit_when50DifferentBodiesRaceOnOneKey_thenExactlyOneIs202AndItsBodyIsConfirmed() {
        TestOrder base = TestOrders.varied(2001);
        String key = "race-different-" + UUID.randomUUID();
        List<TestOrder> bodies = new ArrayList<>();
        TestOrder next = base;
        for (int i = 0; i < 50; i++) {
            bodies.add(next);
            next = next.withOneMoreUnit();
        }

        List<HttpResponse<String>> answers = all(bodies.stream().map(b -> client.submitAsync(b.json(), key)).toList());

        List<Integer> accepted = IntStream.range(0, 50).filter(i -> answers.get(i).statusCode() == 202).boxed().toList();
        assertThat(accepted).as("requests answered 202").hasSize(1);
        assertThat(answers.stream().filter(r -> r.statusCode() == 422).map(r -> parse(r.body()).path("type").asText()))
                .as("the other answers").hasSize(49).containsOnly(REUSED);
        String id = PipelineClient.acceptedOrderId(answers.get(accepted.get(0)));
        JsonNode confirmed = client.awaitConfirmed(List.of(id), CONFIRMATION).get(id);
        assertThat(confirmed.path("total").asText()).as("the confirmed content is the winner's")
                .isEqualTo(bodies.get(accepted.get(0)).expectedTotal());
        assertOneNumberEach(List.of(id));
    }

    @Test
    void submit_when50IdenticalBodiesRaceOnOneKey_thenAllGetTheSame202AndOneOrderWithOneNumber() {
        TestOrder order = TestOrders.varied(3001);
        String key = "race-identical-" + UUID.randomUUID();

        List<HttpResponse<String>> answers = all(IntStream.range(0, 50).mapToObj(i -> client.submitAsync(order.json(), key)).toList());

        answers.forEach(PipelineClient::acceptedOrderId);
        Set<String> bodies = answers.stream().map(HttpResponse::body).collect(Collectors.toSet());
        assertThat(bodies).as("distinct 202 bodies (orderId, status, submittedAt)").hasSize(1);
        String id = PipelineClient.acceptedOrderId(answers.get(0));
        assertThat(id).isEqualTo(OrderId.fromIdempotencyKey(new CustomerId(order.customerId()), new IdempotencyKey(key)).value());
        JsonNode confirmed = client.awaitConfirmed(List.of(id), CONFIRMATION).get(id);
        assertThat(confirmed.path("submittedAt").asText()).as("submittedAt of the confirmed order")
                .isEqualTo(parse(answers.get(0).body()).path("submittedAt").asText());
        assertOneNumberEach(List.of(id));
    }

    @Test
    void submit_whenTheFirstSendMessageFails_thenTheRetryWithTheKeyEnqueuesItAndItIsConfirmedOnce() {
        TestOrder order = TestOrders.varied(4001);
        String key = "send-fails-" + UUID.randomUUID();
        String id = OrderId.fromIdempotencyKey(new CustomerId(order.customerId()), new IdempotencyKey(key)).value();
        sendFailure.failNextSendOf(id);

        HttpResponse<String> first = client.submit(order.json(), key);

        assertThat(first.statusCode()).as("first attempt (%s)", first.body()).isEqualTo(503);
        assertThat(parse(first.body()).path("type").asText()).isEqualTo("urn:order-pipeline:problem:queue-unavailable");
        assertThat(sendFailure.injected()).as("SendMessage failures injected").isEqualTo(1);
        assertThat(client.dynamoDb.getItem(b -> b.tableName(client.resources().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#" + id)))).hasItem())
                .as("the key was claimed before the failed enqueue").isTrue();

        HttpResponse<String> retry = client.submit(order.json(), key);

        assertThat(PipelineClient.acceptedOrderId(retry)).isEqualTo(id);
        client.awaitConfirmed(List.of(id), CONFIRMATION);
        assertOneNumberEach(List.of(id));
    }

    // ---------------------------------------------------------------- helpers

    private static List<HttpResponse<String>> all(List<CompletableFuture<HttpResponse<String>>> requests) {
        return requests.stream().map(CompletableFuture::join).toList();
    }

    /** Each order is stored once and holds exactly one number guard, and no guard names it twice. */
    private void assertOneNumberEach(List<String> orderIds) {
        List<Map<String, AttributeValue>> items = client.scanTable();
        Map<String, Long> guards = items.stream().filter(i -> i.get("pk").s().startsWith("NUMBER#"))
                .collect(Collectors.groupingBy(i -> i.get("orderId").s(), Collectors.counting()));
        Set<String> stored = PipelineClient.keysStartingWith(items, "ORDER#");
        for (String id : orderIds) {
            assertThat(stored).as("stored order %s", id).contains("ORDER#" + id);
            assertThat(guards.get(id)).as("number guards of order %s", id).isEqualTo(1L);
        }
    }

    /** Fails the next SendMessage of one order before it is transmitted, as an SQS outage would. */
    static final class SendFailure implements ExecutionInterceptor {
        private final AtomicReference<String> armed = new AtomicReference<>();
        private final AtomicInteger injected = new AtomicInteger();

        void failNextSendOf(String orderId) {
            armed.set(orderId);
        }

        int injected() {
            return injected.get();
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof SendMessageRequest send) {
                String orderId = send.messageAttributes().get(SqsOrderQueue.ATTR_ORDER_ID).stringValue();
                String target = armed.get();
                if (orderId.equals(target) && armed.compareAndSet(target, null)) { // compareAndSet compares references
                    injected.incrementAndGet();
                    throw SqsException.builder().statusCode(503).message("injected ServiceUnavailable")
                            .awsErrorDetails(AwsErrorDetails.builder().serviceName("Sqs").errorCode("ServiceUnavailable")
                                    .errorMessage("injected").build()).build();
                }
            }
        }
    }
}
