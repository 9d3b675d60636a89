package dev.orderpipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.testsupport.CapturedLogs;
import dev.orderpipeline.testsupport.RecordingEndpoint;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * SnapStart priming must leave no trace outside the process: the function's endpoint (here a local server that
 * records whatever reaches it) sees no request, and the function's credentials are never resolved, so none are
 * captured in the snapshot. It must still have run the success path through the SDK, or it primed the wrong code; and
 * the handler must still send real requests to its real endpoint afterwards (that a primed handler then accepts an
 * order exactly once is {@code IntakeQueueIT}'s).
 */
class IntakePrimingIT {
    private final AtomicInteger credentialLookups = new AtomicInteger();
    private final RecordingEndpoint endpoint = new RecordingEndpoint();

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iam", "jwt"})
    void beforeCheckpoint_whenSnapStartSnapshotsTheFunction_runsEverySuccessPathButSendsNothingAndResolvesNoCredentials(String authMode) {
        IntakeHandler handler = handler(authMode);

        IntakePriming.Result result;
        List<String> logLines;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            result = handler.priming().prime();
            logLines = logs.lines();
        }
        assertThatCode(() -> {
            handler.priming().beforeCheckpoint(null);
            handler.priming().afterRestore(null);
        }).doesNotThrowAnyException();

        assertThat(endpoint.requests()).as("requests that reached the endpoint").isEmpty();
        assertThat(credentialLookups).as("credential lookups").hasValue(0);
        assertThat(result.sdkCalls()).as("SDK calls answered in-process").containsExactly(
                "AmazonSQS.SendMessage",
                "DynamoDB_20120810.GetItem", "DynamoDB_20120810.PutItem", "AmazonSQS.SendMessage",
                "DynamoDB_20120810.GetItem");
        assertThat(result.responses()).extracting(APIGatewayV2HTTPResponse::getStatusCode)
                .as("POST, POST with Idempotency-Key, GET of a confirmed order, invalid POST")
                .containsExactly(202, 202, 200, 422);
        assertThat(OrderJson.parse(result.responses().get(2).getBody()).get("orderId").textValue())
                .as("the order the GET read back from the store's own item").isEqualTo(IntakePriming.ORDER_ID);
        assertThat(logLines).as("log lines while priming").isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("priming=true"));
    }

    @Test
    void handleRequest_whenPrimedForSnapStart_sendsItsCallsToTheFunctionsOwnEndpointAgain() {
        IntakeHandler handler = handler("iam");
        handler.priming().beforeCheckpoint(null);
        handler.priming().afterRestore(null);

        APIGatewayV2HTTPResponse afterPriming = handler.handleRequest(ApiGatewayEvents.load("post-order-valid.json"),
                LambdaContexts.plain());
        assertThat(afterPriming.getStatusCode()).as("the recording endpoint answers 500: the queue's outage").isEqualTo(503);
        assertThat(endpoint.requests()).as("requests after priming, each attempt of the real SendMessage").isNotEmpty()
                .allSatisfy(r -> assertThat(r).endsWith("AmazonSQS.SendMessage"));
    }

    private IntakeHandler handler(String authMode) {
        URI uri = endpoint.uri();
        AwsCredentialsProvider countingCredentials = () -> {
            credentialLookups.incrementAndGet();
            return AwsBasicCredentials.create("real", "real");
        };
        return new IntakeHandler(new Env(Map.of("ORDER_QUEUE_URL", uri + "/000000000000/orders",
                "ORDERS_TABLE", "orders", "AUTH_MODE", authMode)), AwsClients.forEndpoint("us-east-1", uri, countingCredentials));
    }
}
