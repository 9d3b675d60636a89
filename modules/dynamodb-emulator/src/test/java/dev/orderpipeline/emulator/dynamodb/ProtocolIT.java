package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;

class ProtocolIT extends EmulatorFixture {

    private static HttpResponse<String> post(String target, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(emulator.endpoint())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void start_whenPortIsBusy_failsWithAClearMessage() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();

            assertThatThrownBy(() -> DynamoDbEmulator.start(port))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("port " + port + " is already in use");
        }
    }

    @Test
    void close_whenCalled_releasesThePort() throws Exception {
        DynamoDbEmulator first = DynamoDbEmulator.start(0);
        int port = first.port();
        first.close();

        try (DynamoDbEmulator second = DynamoDbEmulator.start(port)) {
            assertThat(second.endpoint()).hasToString("http://localhost:" + port);
        }
    }

    @Test
    void request_whenOperationIsNotSupported_failsFastWithUnknownOperation() {
        requireEmulator();
        assertThatThrownBy(() -> dynamoDb.describeTimeToLive(b -> b.tableName("any")))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("DescribeTimeToLive is not supported");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void request_whenAnswered_hasDynamoDbHeadersAndErrorShape() throws Exception {
        requireEmulator();
        HttpResponse<String> response = post("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"missing-table\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("x-amz-crc32")).isPresent();
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("__type").asText()).isEqualTo("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
        assertThat(body.get("message").asText()).contains("missing-table");
    }

    @Test
    void request_whenBodyIsNotJson_failsWithSerializationException() throws Exception {
        requireEmulator();
        HttpResponse<String> response = post("DynamoDB_20120810.GetItem", "{not json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(response.body()).get("__type").asText()).endsWith("#SerializationException");
    }

    @Test
    void putItem_whenConditionIsMalformed_failsWithValidation() {
        String table = createTable(false);

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(key("k"))
                .conditionExpression("attribute_not_exists(pk) AND")))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .startsWith("Invalid ConditionExpression: Syntax error; token: \"<EOF>\"");
                });
    }

    @Test
    void putItem_whenExpressionUsesReservedWordOrBadPlaceholders_failsWithValidation() {
        String table = createTable(false);

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(key("k"))
                .conditionExpression("status = :s").expressionAttributeValues(Map.of(":s", s("x")))))
                .hasMessageContaining("Attribute name is a reserved keyword; reserved keyword: status");
        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(key("k"))
                .conditionExpression("#st = :s").expressionAttributeValues(Map.of(":s", s("x")))))
                .hasMessageContaining("An expression attribute name used in the document path is not defined");
        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(key("k"))
                .conditionExpression("attribute_not_exists(pk)")
                .expressionAttributeValues(Map.of(":unused", s("x")))))
                .hasMessageContaining("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
        assertThatThrownBy(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key("k"))
                .updateExpression("SET a = :a, a = :b")
                .expressionAttributeValues(Map.of(":a", s("1"), ":b", s("2")))))
                .hasMessageContaining("Two document paths overlap with each other");
    }

    @Test
    void putItem_whenConditionIsNestedUpToTheSizeLimit_evaluatesItAndRefusesLongerOnes() {
        requireEmulator();
        String table = createTable(false);
        int depth = 2036; // 2 * 2036 + 24 characters: exactly the 4096-byte limit
        String nested = "(".repeat(depth) + "attribute_not_exists(pk)" + ")".repeat(depth);

        dynamoDb.putItem(b -> b.tableName(table).item(key("deep")).conditionExpression(nested));

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(key("deeper"))
                .conditionExpression("(" + nested + ")")))
                .hasMessageContaining("Expression size has exceeded the maximum allowed size; expression size: 4098");
    }

    @Test
    void putItem_whenLegacyParameterUsed_refusesInsteadOfIgnoringIt() {
        requireEmulator();
        String table = createTable(false);

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(key("k"))
                .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build()))))
                .hasMessageContaining("The PutItem parameter Expected is not supported by this DynamoDB emulator")
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
    }
}
