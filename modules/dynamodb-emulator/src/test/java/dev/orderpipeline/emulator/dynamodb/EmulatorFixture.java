package dev.orderpipeline.emulator.dynamodb;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One emulator on a free loopback port per test class, and the real SDK client pointed at it. Each test creates
 * its own tables with unique names, so tests do not see each other's data; they are deleted after the class.
 *
 * <p>With {@code AWS_ENDPOINT_URL_DYNAMODB} set (the SDK's standard endpoint setting), the tests run against that
 * endpoint instead, e.g. LocalStack, with the SDK's default region and credentials; tests of this emulator's own
 * behaviour are then skipped.
 */
abstract class EmulatorFixture {
    static final boolean EXTERNAL_ENDPOINT = System.getenv("AWS_ENDPOINT_URL_DYNAMODB") != null;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> CREATED_TABLES = new ArrayList<>();

    static DynamoDbEmulator emulator;
    static DynamoDbClient dynamoDb;

    @BeforeAll
    static void connect() {
        if (EXTERNAL_ENDPOINT) {
            dynamoDb = DynamoDbClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT))
                    .build();
        } else {
            emulator = DynamoDbEmulator.start(0);
            dynamoDb = client(emulator.endpoint());
        }
    }

    @AfterAll
    static void disconnect() {
        for (String table : CREATED_TABLES) {
            try {
                dynamoDb.deleteTable(b -> b.tableName(table));
            } catch (ResourceNotFoundException deletedByTheTest) {
                // nothing to clean up
            }
        }
        CREATED_TABLES.clear();
        dynamoDb.close();
        if (emulator != null) {
            emulator.close();
        }
    }

    /** For tests of this emulator's own behaviour (refusals, wire details), which another endpoint need not share. */
    static void requireEmulator() {
        assumeFalse(EXTERNAL_ENDPOINT, "checks this emulator's own behaviour, not DynamoDB's");
    }

    /** The client configuration the pipeline uses, with a call timeout so that a hang fails the test. */
    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT))
                .build();
    }

    /** A new on-demand table with partition key {@code pk} (S) and, if {@code withSortKey}, sort key {@code sk} (S). */
    static String createTable(boolean withSortKey) {
        String name = "test-" + UUID.randomUUID();
        dynamoDb.createTable(b -> {
            b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            if (withSortKey) {
                b.keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                        .attributeDefinitions(attribute("pk"), attribute("sk"));
            } else {
                b.keySchema(key("pk", KeyType.HASH)).attributeDefinitions(attribute("pk"));
            }
        });
        CREATED_TABLES.add(name);
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(name));
        return name;
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    /** The error code the SDK parsed from the response, e.g. {@code ValidationException}. */
    static String errorCode(Throwable e) {
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }
}
