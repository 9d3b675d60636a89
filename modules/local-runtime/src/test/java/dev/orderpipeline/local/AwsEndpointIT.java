package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The single AWS endpoint, used the way a developer's tools use it: plain SDK clients with only an endpoint
 * override (what {@code AWS_ENDPOINT_URL} or {@code aws --endpoint-url} give), and raw HTTP for the rest. One
 * pipeline for the class: nothing here changes its state.
 */
class AwsEndpointIT {
    private static LocalPipeline pipeline;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        pipeline = LocalPipeline.start(LocalSettings.forTests());
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void awsEndpoint_whenSdkClientsUseIt_thenQueuesTableAndBusAreAllReachable() {
        Provisioned r = pipeline.resources();
        try (SqsClient sqs = configure(SqsClient.builder()).build();
             DynamoDbClient dynamoDb = configure(DynamoDbClient.builder()).build();
             EventBridgeClient eventBridge = configure(EventBridgeClient.builder()).build()) {

            assertThat(sqs.listQueues().queueUrls()).as("ListQueues").contains(r.ordersQueueUrl(), r.deadLetterQueueUrl(),
                    r.subscriberQueueUrl(), r.subscriberDeadLetterQueueUrl());
            assertThat(r.ordersQueueUrl()).as("queue URLs point at the AWS endpoint")
                    .startsWith(pipeline.awsEndpoint().toString() + "/");
            assertThat(r.ordersQueueArn()).as("queue ARNs name the runtime's region (ElasticMQ's default is 'elasticmq')")
                    .isEqualTo("arn:aws:sqs:" + pipeline.region() + ":000000000000:" + r.stack() + "-orders");
            assertThat(sqs.getQueueAttributes(b -> b.queueUrl(r.ordersQueueUrl()).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .attributes().get(QueueAttributeName.REDRIVE_POLICY))
                    .as("the redrive policy names the DLQ by its ARN in that region").contains(r.deadLetterQueueArn())
                    .contains("arn:aws:sqs:" + pipeline.region() + ":");

            TableDescription table = dynamoDb.describeTable(b -> b.tableName(r.tableName())).table();
            assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
            assertThat(table.keySchema()).singleElement().satisfies(k -> {
                assertThat(k.attributeName()).isEqualTo("pk");
                assertThat(k.keyType()).isEqualTo(KeyType.HASH);
            });

            DescribeEventBusResponse bus = eventBridge.describeEventBus(b -> b.name(r.eventBusName()));
            assertThat(bus.name()).isEqualTo(r.eventBusName());
            assertThat(bus.arn()).isEqualTo("arn:aws:events:" + pipeline.region() + ":000000000000:event-bus/" + r.eventBusName());
            assertThat(eventBridge.listRules(b -> b.eventBusName(r.eventBusName())).rules())
                    .as("rules on the bus").anySatisfy(rule -> assertThat(rule.name()).isEqualTo(r.subscriberRuleName()));
        }
    }

    @Test
    void awsEndpoint_whenSqsQueryProtocolForm_thenAnswersFromSqs() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(pipeline.awsEndpoint().resolve("/"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("Action=ListQueues&Version=2012-11-05"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("status (%s)", response.body()).isEqualTo(200);
        assertThat(response.body()).contains("ListQueuesResponse").contains(pipeline.resources().ordersQueueUrl());
    }

    @ParameterizedTest(name = "X-Amz-Target: {0}")
    @ValueSource(strings = {"AmazonSNS.Publish", "Kinesis_20131202.PutRecord", "Logs_20140328.PutLogEvents"})
    void awsEndpoint_whenTargetNamesNoLocalService_thenAnswers400JsonError(String target) throws Exception {
        HttpResponse<String> response = post(target, "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("json"));
        JsonNode error = PipelineClient.parse(response.body());
        assertThat(error.path("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(error.path("message").asText()).isNotBlank();
    }

    @Test
    void awsEndpoint_whenJsonBodyWithoutTarget_thenAnswers400JsonError() throws Exception {
        HttpResponse<String> response = post(null, "{\"QueueName\":\"x\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PipelineClient.parse(response.body()).path("__type").asText()).isEqualTo("UnknownOperationException");
    }

    private static HttpResponse<String> post(String target, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(pipeline.awsEndpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        return builder.endpointOverride(URI.create(pipeline.awsEndpoint().toString()))
                .region(Region.of(pipeline.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "thing")));
    }
}
