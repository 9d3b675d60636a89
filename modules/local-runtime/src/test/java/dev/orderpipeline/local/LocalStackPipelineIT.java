package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.local.TestOrders.TestOrder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pipeline against a running AWS-compatible endpoint instead of the embedded emulators: the same provisioning,
 * handlers and HTTP API, with SQS, DynamoDB and EventBridge served by that endpoint.
 *
 * <ul>
 *   <li>{@code -Dit.endpoint=URL} (or {@code AWS_ENDPOINT_URL}): a running endpoint, e.g. LocalStack on
 *       {@code http://localhost:4566}; credentials from the environment, else {@code test}/{@code test};</li>
 *   <li>otherwise, with {@code -Plocalstack}, LocalStack started in Docker by Testcontainers
 *       ({@code LOCALSTACK_AUTH_TOKEN} is passed to it when set, {@code LOCALSTACK_IMAGE} picks another image).</li>
 * </ul>
 * With neither, it is skipped with the reason. Each run provisions its own uniquely named stack and deletes it after.
 */
class LocalStackPipelineIT {
    private static final String IMAGE = System.getenv().getOrDefault("LOCALSTACK_IMAGE", "localstack/localstack:latest");
    private static final Duration CONFIRMATION = Duration.ofSeconds(60);
    private static final Optional<URI> RUNNING = Optional.ofNullable(System.getProperty("it.endpoint"))
            .or(() -> Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL"))).filter(e -> !e.isBlank()).map(URI::create);

    private static final String NO_ENDPOINT = "LocalStackPipelineIT skipped: no endpoint given (-Dit.endpoint=URL or "
            + "AWS_ENDPOINT_URL), and no LocalStack to start (that needs -Plocalstack and a reachable Docker daemon). "
            + "Point it at a running AWS-compatible endpoint, or start Docker and run with -Plocalstack.";

    private static URI endpoint;
    private static LocalStackContainer localstack;

    @BeforeAll
    static void findEndpoint() {
        if (RUNNING.isPresent()) {
            endpoint = RUNNING.get();
            return;
        }
        if (!Boolean.getBoolean("it.docker") || !DockerClientFactory.instance().isDockerAvailable()) {
            System.out.println(NO_ENDPOINT);
            return; // each test is then skipped with the reason (an assumption here would hide the test count)
        }
        localstack = new LocalStackContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("sqs", "dynamodb", "events");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            localstack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        localstack.start();
        endpoint = localstack.getEndpoint();
    }

    @BeforeEach
    void requireEndpoint() {
        assumeTrue(endpoint != null, NO_ENDPOINT);
    }

    @AfterAll
    static void stopLocalStack() {
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Test
    void submitOrders_whenPipelineRunsAgainstLocalStack_thenAllConfirmedWithOneValidEventEach() throws Exception {
        // a realistic visibility timeout: a slow container must not turn a successful batch into a redelivery
        // a stack of its own: the endpoint may hold other runs' resources
        LocalSettings settings = LocalSettings.forTests().withEndpoint(endpoint).withVisibilityTimeout(30)
                .withStack("order-pipeline-it-" + UUID.randomUUID().toString().substring(0, 8));
        try (LocalPipeline pipeline = LocalPipeline.start(settings);
             PipelineClient client = new PipelineClient(pipeline);
             AutoCloseable cleanup = () -> deleteResources(pipeline)) {
            assertThat(pipeline.embedded()).isFalse();
            List<TestOrder> orders = TestOrders.varied(5, 500);

            List<String> ids = client.submitAllAccepted(orders.stream().map(TestOrder::json).toList());
            Map<String, JsonNode> confirmed = client.awaitConfirmed(ids, CONFIRMATION);

            assertThat(confirmed.values().stream().map(o -> OrderNumber.parse(o.get("orderNumber").asText()).sequence()))
                    .as("strict mode numbers").containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());
            for (int i = 0; i < orders.size(); i++) {
                assertThat(confirmed.get(ids.get(i)).get("total").asText()).as("total of order %d", i)
                        .isEqualTo(orders.get(i).expectedTotal());
            }
            client.awaitOrdersQueueDrained(Duration.ofSeconds(30));
            Map<String, List<JsonNode>> events = client.drainSubscriber(5, Duration.ofSeconds(30));

            assertThat(events.keySet()).as("orders with an OrderConfirmed").containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) {
                assertThat(events.get(id)).as("OrderConfirmed messages for order %s", id).hasSize(1);
                OrderConfirmedContract.assertValidEvent(events.get(id).get(0), pipeline.region());
                assertThat(events.get(id).get(0).get("detail").get("orderNumber").asText())
                        .isEqualTo(confirmed.get(id).get("orderNumber").asText());
            }
        }
    }

    /** Deletes what this run provisioned on the shared endpoint. */
    private static void deleteResources(LocalPipeline pipeline) {
        Provisioned r = pipeline.resources();
        try (SqsClient sqs = pipeline.clients().build(SqsClient.builder());
             DynamoDbClient dynamoDb = pipeline.clients().build(DynamoDbClient.builder());
             EventBridgeClient eventBridge = pipeline.clients().build(EventBridgeClient.builder())) {
            eventBridge.removeTargets(b -> b.rule(r.subscriberRuleName()).eventBusName(r.eventBusName()).ids("subscriber-queue"));
            eventBridge.deleteRule(b -> b.name(r.subscriberRuleName()).eventBusName(r.eventBusName()));
            eventBridge.deleteEventBus(b -> b.name(r.eventBusName()));
            for (String url : List.of(r.ordersQueueUrl(), r.deadLetterQueueUrl(), r.subscriberQueueUrl(), r.subscriberDeadLetterQueueUrl())) {
                sqs.deleteQueue(b -> b.queueUrl(url));
            }
            dynamoDb.deleteTable(b -> b.tableName(r.tableName()));
        }
    }
}
