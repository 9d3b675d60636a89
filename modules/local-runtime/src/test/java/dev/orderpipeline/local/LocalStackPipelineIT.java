package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.local.TestOrders.TestOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The pipeline against LocalStack instead of the embedded emulators: the same provisioning, handlers and HTTP API,
 * with SQS, DynamoDB and EventBridge served by LocalStack in Docker. Runs only with {@code -Plocalstack}; skipped,
 * with the reason, where no Docker daemon is reachable. {@code LOCALSTACK_AUTH_TOKEN} is passed to the container
 * when set; {@code LOCALSTACK_IMAGE} picks another image.
 */
class LocalStackPipelineIT {
    private static final String IMAGE = System.getenv().getOrDefault("LOCALSTACK_IMAGE", "localstack/localstack:latest");
    private static final Duration CONFIRMATION = Duration.ofSeconds(60);

    private static final String NO_DOCKER = "LocalStackPipelineIT skipped: no Docker daemon is reachable (Testcontainers "
            + "found no Docker environment), and LocalStack runs in Docker. Start Docker, or set DOCKER_HOST, to run it.";

    private static boolean dockerAvailable;
    private static LocalStackContainer localstack;

    @BeforeAll
    static void startLocalStack() {
        dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
        if (!dockerAvailable) {
            System.out.println(NO_DOCKER);
            return; // each test is then skipped with the reason (an assumption here would hide the test count)
        }
        localstack = new LocalStackContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("sqs", "dynamodb", "events");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            localstack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        localstack.start();
    }

    @BeforeEach
    void requireDocker() {
        assumeTrue(dockerAvailable, NO_DOCKER);
    }

    @AfterAll
    static void stopLocalStack() {
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Test
    void submitOrders_whenPipelineRunsAgainstLocalStack_thenAllConfirmedWithOneValidEventEach() {
        // a realistic visibility timeout: a slow container must not turn a successful batch into a redelivery
        LocalSettings settings = LocalSettings.forTests().withEndpoint(localstack.getEndpoint()).withVisibilityTimeout(30);
        try (LocalPipeline pipeline = LocalPipeline.start(settings);
             PipelineClient client = new PipelineClient(pipeline)) {
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
}
