package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.testsupport.CapturedLogs;
import dev.orderpipeline.testsupport.RecordingEndpoint;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;

/**
 * SnapStart priming must leave no trace outside the process (no request reaches the function's endpoint, no
 * credentials are resolved into the snapshot, no item or event appears) yet must have run the success path through
 * the SDK, or it primed the wrong code; and a primed handler must confirm orders exactly as an unprimed one.
 */
class ConfirmationPrimingIT {
    private static final String ORDER_ID = "3f0b0c5e-8f1e-4c59-9b7a-2f1d8c1e7a10";

    @ParameterizedTest
    @ValueSource(strings = {"strict", "block"})
    void beforeCheckpoint_whenSnapStartSnapshotsTheFunction_confirmsTheSyntheticOrderButSendsNothingAndResolvesNoCredentials(String mode) {
        AtomicInteger credentialLookups = new AtomicInteger();
        AwsCredentialsProvider countingCredentials = () -> {
            credentialLookups.incrementAndGet();
            return AwsBasicCredentials.create("real", "real");
        };
        try (RecordingEndpoint endpoint = new RecordingEndpoint()) {
            ConfirmationHandler handler = new ConfirmationHandler(env(mode),
                    AwsClients.forEndpoint("us-east-1", endpoint.uri(), countingCredentials));

            ConfirmationPriming.Result result;
            List<String> logLines;
            try (CapturedLogs logs = CapturedLogs.capture()) {
                result = handler.priming().prime();
                logLines = logs.lines();
            }
            handler.priming().beforeCheckpoint(null);
            handler.priming().afterRestore(null);

            assertThat(endpoint.requests()).as("requests that reached the endpoint").isEmpty();
            assertThat(credentialLookups).as("credential lookups").hasValue(0);
            assertThat(result.sdkCalls()).as("SDK calls answered in-process")
                    .startsWith(mode.equals("block") ? "DynamoDB_20120810.UpdateItem" : "DynamoDB_20120810.GetItem")
                    .contains(mode.equals("block") ? "DynamoDB_20120810.PutItem" : "DynamoDB_20120810.TransactWriteItems")
                    .endsWith("AWSEvents.PutEvents")
                    .doesNotHaveDuplicates();
            assertThat(result.batchResponse().getBatchItemFailures()).as("the order confirmed, the malformed message refused")
                    .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .containsExactly(ConfirmationPriming.MALFORMED_MESSAGE_ID);
            assertThat(logLines).as("log lines while priming").isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("priming=true"));
        }
    }

    @Test
    void handleRequest_whenPrimedForSnapStart_storesAndPublishesNothingWhilePrimingAndThenConfirmsTheBatch() {
        try (PipelineBackends backends = new PipelineBackends()) {
            AwsClients clients = backends.clients();
            ConfirmationHandler handler = new ConfirmationHandler(new Env(Map.of(
                    ConfirmationConfig.ENV_ORDERS_TABLE, backends.table,
                    ConfirmationConfig.ENV_EVENT_BUS_NAME, backends.bus)), clients);

            handler.priming().beforeCheckpoint(null);
            handler.priming().afterRestore(null);
            assertThat(backends.scanTable()).as("items after priming").isEmpty();
            assertThat(backends.drainSubscriber()).as("events after priming").isEmpty();

            SQSEvent batch = EventLoader.loadSQSEvent("sqs/order-batch.json"); // one order and one poison message
            SQSBatchResponse response = handler.handleRequest(batch, Mockito.mock(Context.class));

            assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .containsExactly("2e1424d4-f796-459a-8184-9c92662be6da");
            assertThat(backends.scanTable().keySet()).as("items after the batch").anyMatch(k -> k.contains(ORDER_ID));
            assertThat(backends.drainSubscriber()).as("events after the batch")
                    .singleElement().satisfies(e -> assertThat(e.get("detail").get("orderId").textValue()).isEqualTo(ORDER_ID));
        }
    }

    private static Env env(String mode) {
        return new Env(Map.of(ConfirmationConfig.ENV_ORDERS_TABLE, "orders", ConfirmationConfig.ENV_EVENT_BUS_NAME, "bus",
                ConfirmationConfig.ENV_ORDER_NUMBER_MODE, mode));
    }
}
