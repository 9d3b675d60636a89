package dev.orderpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.json.OrderJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --stack} paths against {@link FakeAws}, a loopback stand-in for CloudFormation, Step Functions,
 * EventBridge and the orders API: what the CLI reads from the stack outputs and what it sends. Credentials are the
 * test ones failsafe puts in the environment. Whether AWS accepts the signatures is not verified here (no AWS).
 */
class StackTargetIT {
    private FakeAws aws;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void status_whenTargetingAStack_readsTheApiFromTheOutputsAndSignsTheRequest() {
        CliRunner.Result result = cli("prod", "status", "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("status:      CONFIRMED").contains("orderNumber: ORD-0000000042");
        FakeAws.Request get = aws.apiRequests().get(0);
        assertThat(get.header("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=test/")
                .contains("/us-east-1/execute-api/aws4_request")
                .contains("SignedHeaders=")
                .contains("host");
        assertThat(get.header("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
    }

    @Test
    void submit_whenTargetingAStack_signsThePost() throws IOException {
        Path order = Files.writeString(dir.resolve("order.json"), "{\"customerId\":\"c-1\"}");

        CliRunner.Result result = cli("prod", "submit", order.toString(), "--idempotency-key", "k-1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        FakeAws.Request post = aws.apiRequests().get(0);
        assertThat(post.body()).isEqualTo("{\"customerId\":\"c-1\"}");
        assertThat(post.header("Idempotency-Key")).isEqualTo("k-1");
        assertThat(post.header("Authorization")).contains("/execute-api/aws4_request")
                .containsPattern("SignedHeaders=[^,]*content-type")
                .containsPattern("SignedHeaders=[^,]*idempotency-key");
    }

    @Test
    void api_whenTheStackTakesJwtTokens_refusesInsteadOfSendingUnsignedRequests() {
        CliRunner.Result result = cli("jwt-stack", "status", "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("orders: the API of stack jwt-stack (us-east-1) takes JWT bearer tokens");
        assertThat(aws.apiRequests()).isEmpty();
    }

    @Test
    void stack_whenItDoesNotExist_saysSoAndExits2() {
        CliRunner.Result result = cli("gone", "dlq", "stats");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly(
                "orders: stack gone does not exist in us-east-1 (check --stack and --region)");
    }

    @Test
    void dlqReplayViaStateMachine_startsAnExecutionWithTheRate() {
        CliRunner.Result result = cli("prod", "dlq", "replay", "--via-state-machine", "--rate", "7");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("started execution orders-cli-").contains("execution: arn:aws:states:");
        JsonNode request = OrderJson.parse(aws.onlyRequestWithTarget("AWSStepFunctions.StartExecution").body());
        assertThat(request.get("stateMachineArn").asText()).isEqualTo(FakeAws.STATE_MACHINE_ARN);
        assertThat(request.get("input").asText()).isEqualTo("{\"maxNumberOfMessagesPerSecond\":7}");
        assertThat(request.get("name").asText()).startsWith("orders-cli-");
    }

    @Test
    void dlqReplayWait_whenTheMoveTaskIsNoLongerListed_saysWhatItKnowsWithoutBlamingABackend() {
        CliRunner.Result result = cli("prod", "dlq", "replay", "--wait", "--timeout", "30s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString()
                .contains("move task " + FakeAws.MOVE_TASK_HANDLE + " is no longer listed")
                .contains("arn:aws:sqs:us-east-1:123456789012:prod-orders-dlq")
                .contains("outcome is unknown")
                .doesNotContain("ElasticMQ").doesNotContain("probably");
    }

    @Test
    void eventsReplay_startsAReplayOfTheArchiveOntoTheBus() {
        CliRunner.Result result = cli("prod", "events", "replay", "--from", "2026-11-26T10:00:00Z", "--to", "2026-11-26T11:00:00Z");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("started replay orders-cli-").contains("(STARTING)");
        JsonNode request = OrderJson.parse(aws.onlyRequestWithTarget("AWSEvents.StartReplay").body());
        assertThat(request.get("EventSourceArn").asText()).isEqualTo(FakeAws.ARCHIVE_ARN);
        assertThat(request.get("Destination").get("Arn").asText()).isEqualTo(FakeAws.BUS_ARN);
        assertThat(request.get("EventStartTime").asLong()).isEqualTo(1795687200L);
        assertThat(request.get("EventEndTime").asLong()).isEqualTo(1795690800L);
    }

    private CliRunner.Result cli(String stack, String... args) {
        List<String> all = new ArrayList<>(List.of("--stack", stack, "--region", "us-east-1", "--endpoint", aws.endpoint().toString()));
        all.addAll(List.of(args));
        return CliRunner.run(Map.of(), all.toArray(String[]::new));
    }
}
