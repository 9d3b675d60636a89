package dev.orderpipeline.emulator.dynamodb;

import static dev.orderpipeline.emulator.dynamodb.EmulatorFixture.key;
import static dev.orderpipeline.emulator.dynamodb.EmulatorFixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * DynamoDB's contention, reproduced: a transaction in flight holds its items, so an overlapping transaction is
 * cancelled with {@code TransactionConflict} and a single write is refused with {@code TransactionConflictException};
 * an item over its write throughput is throttled. Each test starts its own emulator with the contention it needs.
 */
class ContentionIT {
    private static final String TABLE = "contention";
    /** Long enough for the test to meet the transaction in flight on a loaded machine; the test waits for it. */
    private static final Duration HOLD = Duration.ofSeconds(3);

    @Test
    void transactWriteItems_whenAnotherTransactionHoldsAnItem_isCancelledWithTransactionConflictOnThatItem() throws Exception {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start(0, new Contention(HOLD, 0));
             DynamoDbClient dynamoDb = clientWithoutRetries(emulator)) {
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> dynamoDb.transactWriteItems(b -> b.transactItems(
                    put(Map.of("pk", s("shared"), "by", s("holder"))))));

            TransactionCanceledException cancelled = await("a transaction meeting the one in flight")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> tryTransaction(dynamoDb), e -> e != null);
            holder.get(30, TimeUnit.SECONDS);

            assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                    .containsExactly("None", "TransactionConflict");
            assertThat(cancelled.cancellationReasons().get(1).message()).isEqualTo("Transaction is ongoing for the item");
            assertThat(dynamoDb.getItem(b -> b.tableName(TABLE).key(key("shared"))).item().get("by").s())
                    .as("the holder committed, the cancelled transaction wrote nothing").isEqualTo("holder");
            assertThat(dynamoDb.getItem(b -> b.tableName(TABLE).key(key("other"))).hasItem())
                    .as("no part of the cancelled transaction").isFalse();
            assertThat(emulator.engine().transactionConflicts()).isPositive();
        }
    }

    @Test
    void transactWriteItems_whenOneConditionFailsAndAnotherItemIsHeld_reportsEachItemsOwnReason() throws Exception {
        // as DynamoDB, where each item answers the prepare for itself: a strict-mode claim that lost its race
        // (guard taken, counter held by the winner's next transaction) sees both, and stores rely on telling them apart
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start(0, new Contention(HOLD, 0));
             DynamoDbClient dynamoDb = clientWithoutRetries(emulator)) {
            dynamoDb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("taken"))));
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> dynamoDb.transactWriteItems(b -> b.transactItems(
                    put(Map.of("pk", s("shared"), "by", s("holder"))))));

            List<String> codes = await("a transaction meeting the one in flight")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        try {
                            dynamoDb.transactWriteItems(b -> b.transactItems(put(Map.of("pk", s("other"))),
                                    putIfAbsent(Map.of("pk", s("taken"))), put(Map.of("pk", s("shared"), "by", s("contender")))));
                            return List.<String>of();
                        } catch (TransactionCanceledException e) {
                            return e.cancellationReasons().stream().map(CancellationReason::code).toList();
                        }
                    }, c -> c.contains("TransactionConflict"));
            holder.get(30, TimeUnit.SECONDS);

            assertThat(codes).containsExactly("None", "ConditionalCheckFailed", "TransactionConflict");
        }
    }

    @Test
    void putItem_whenATransactionHoldsTheItem_isRefusedWithTransactionConflictException() throws Exception {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start(0, new Contention(HOLD, 0));
             DynamoDbClient dynamoDb = clientWithoutRetries(emulator)) {
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> dynamoDb.transactWriteItems(b -> b.transactItems(
                    put(Map.of("pk", s("shared"), "by", s("holder"))))));

            await("a single write meeting the transaction in flight").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        try {
                            dynamoDb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("shared"), "by", s("single"))));
                            return false;
                        } catch (TransactionConflictException e) {
                            return true;
                        }
                    });
            holder.get(30, TimeUnit.SECONDS);

            assertThat(dynamoDb.getItem(b -> b.tableName(TABLE).key(key("shared"))).item().get("by").s()).isEqualTo("holder");
        }
    }

    @Test
    void writes_whenAnItemIsOverItsWriteThroughput_areThrottledAndOtherItemsAreNot() {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start(0, new Contention(Duration.ZERO, 10));
             DynamoDbClient dynamoDb = clientWithoutRetries(emulator)) {
            // 10 units per second, a burst of one second's worth: 10 single writes, then throttled (time only refills)
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    dynamoDb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("hot"))));
                }
            }).isInstanceOf(ProvisionedThroughputExceededException.class)
                    .hasMessageContaining("Throughput exceeds the current capacity of your table or index");
            assertThatThrownBy(() -> dynamoDb.transactWriteItems(b -> b.transactItems(
                    put(Map.of("pk", s("cold"))), put(Map.of("pk", s("hot"))))))
                    .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
                            .extracting(CancellationReason::code).containsExactly("None", "ThrottlingError"));
            dynamoDb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("cold"))));

            assertThat(emulator.engine().throttledRequests()).isGreaterThanOrEqualTo(2);
        }
    }

    /** Returns the cancellation of a transaction touching the shared item, or null (it went through: it wrote "other"). */
    private static TransactionCanceledException tryTransaction(DynamoDbClient dynamoDb) {
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    put(Map.of("pk", s("other"), "by", s("contender"))), put(Map.of("pk", s("shared"), "by", s("contender")))));
            dynamoDb.transactWriteItems(b -> b.transactItems(t -> t.delete(d -> d.tableName(TABLE).key(key("other")))));
            return null;
        } catch (TransactionCanceledException e) {
            return e;
        }
    }

    private static TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(item).build()).build();
    }

    private static TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    /** Without the SDK's retries, so that the test sees each refusal; with the test's table. */
    private static DynamoDbClient clientWithoutRetries(DynamoDbEmulator emulator) {
        DynamoDbClient dynamoDb = DynamoDbClient.builder()
                .endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(30)))
                .build();
        dynamoDb.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(EmulatorFixture.key("pk", KeyType.HASH)).attributeDefinitions(EmulatorFixture.attribute("pk")));
        return dynamoDb;
    }
}
