package dev.orderpipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.testsupport.RecordingEndpoint;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * SnapStart priming must leave no trace outside the process: the function's endpoint (here a local server that
 * records whatever reaches it) sees no request, and the function's credentials are never resolved, so none are
 * captured in the snapshot. It must still have reached the SDK, or it primed nothing.
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
    void beforeCheckpoint_whenSnapStartSnapshotsTheFunction_marshalsEveryCallButSendsNothingAndResolvesNoCredentials(String authMode) {
        URI uri = endpoint.uri();
        AwsCredentialsProvider countingCredentials = () -> {
            credentialLookups.incrementAndGet();
            return AwsBasicCredentials.create("real", "real");
        };
        IntakeHandler handler = new IntakeHandler(new Env(Map.of("ORDER_QUEUE_URL", uri + "/000000000000/orders",
                "ORDERS_TABLE", "orders", "AUTH_MODE", authMode)), AwsClients.forEndpoint("us-east-1", uri, countingCredentials));

        IntakePriming.Result result = handler.priming().prime();
        assertThatCode(() -> {
            handler.priming().beforeCheckpoint(null);
            handler.priming().afterRestore(null);
        }).doesNotThrowAnyException();

        assertThat(endpoint.requests()).as("requests that reached the endpoint").isEmpty();
        assertThat(credentialLookups).as("credential lookups").hasValue(0);
        assertThat(result.stoppedCalls()).as("SDK calls marshalled and stopped")
                .containsExactly("Sqs.SendMessage", "DynamoDb.GetItem", "DynamoDb.PutItem", "DynamoDb.GetItem");
        assertThat(result.responses()).extracting(APIGatewayV2HTTPResponse::getStatusCode)
                .as("each synthetic request went the whole way to its (stopped) dependency")
                .containsExactly(503, 503, 503);
    }
}
