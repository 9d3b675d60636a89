package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

class AwsClientsTest {
    private static final URI COMMON = URI.create("http://localhost:4566");
    private static final URI SQS = URI.create("http://127.0.0.1:9324");
    private static final URI DYNAMODB = URI.create("http://127.0.0.1:8000");

    private final AwsClients common = AwsClients.forEndpoint("eu-west-1", COMMON,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));

    @Test
    void build_whenOnlyTheCommonEndpointIsSet_sendsEveryServiceThere() {
        try (SqsClient sqs = common.build(SqsClient.builder());
             DynamoDbClient dynamoDb = common.build(DynamoDbClient.builder())) {
            assertThat(sqs.serviceClientConfiguration().endpointOverride()).contains(COMMON);
            assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).contains(COMMON);
            assertThat(sqs.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
        }
    }

    @Test
    void withServiceEndpoint_sendsThatServiceToItsOwnEndpointAndTheOthersToTheCommonOne() {
        AwsClients direct = common.withServiceEndpoint(SqsClientBuilder.class, SQS)
                .withServiceEndpoint(DynamoDbClientBuilder.class, DYNAMODB);
        try (SqsClient sqs = direct.build(SqsClient.builder());
             DynamoDbClient dynamoDb = direct.build(DynamoDbClient.builder());
             EventBridgeClient eventBridge = direct.build(EventBridgeClient.builder())) {
            assertThat(sqs.serviceClientConfiguration().endpointOverride()).contains(SQS);
            assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).contains(DYNAMODB);
            assertThat(eventBridge.serviceClientConfiguration().endpointOverride()).contains(COMMON);
        }
        try (SqsClient unchanged = common.build(SqsClient.builder())) {
            assertThat(unchanged.serviceClientConfiguration().endpointOverride()).as("the original factory").contains(COMMON);
        }
    }
}
