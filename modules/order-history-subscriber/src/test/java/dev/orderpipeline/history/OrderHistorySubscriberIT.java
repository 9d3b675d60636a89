package dev.orderpipeline.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.emulator.dynamodb.DynamoDbEmulator;
import dev.orderpipeline.emulator.eventbridge.EventBridgeEmulator;
import dev.orderpipeline.events.OrderConfirmedV1;
import dev.orderpipeline.events.OrderConfirmedV1Json;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context.BeforeExecution;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The subscriber end to end on this machine: events are put on the embedded EventBridge bus, a rule delivers them to
 * the subscriber's own ElasticMQ queue (redrive to a DLQ after 3 receives), and {@link #pump} plays the event source
 * mapping: receive a batch, invoke the handler, delete all but the reported failures. The {@code record_*} tests call
 * the store directly and count the DynamoDB calls it makes: what an event costs in writes.
 */
class OrderHistorySubscriberIT {
    private static final String BUS = "order-events-history-it";
    private static final String TABLE = "order-history-it";
    private static final int MAX_RECEIVE_COUNT = 3;

    private static DynamoDbEmulator dynamo;
    private static SQSRestServer sqsServer;
    private static EventBridgeEmulator eventBridge;
    private static SqsClient sqs;
    private static DynamoDbClient dynamoDb;
    /** The store's own client: {@link #CALLS} counts what it asks DynamoDB, per operation. */
    private static DynamoDbClient storeDynamoDb;
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static EventBridgeClient events;
    private static final Context CONTEXT = mock(Context.class);

    private String queueUrl;
    private String dlqUrl;

    @BeforeAll
    static void start() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        dynamo = DynamoDbEmulator.start(0);
        sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        sqs = AwsClients.forEndpoint("us-east-1", URI.create("http://127.0.0.1:" + sqsPort), credentials).build(SqsClient.builder());
        eventBridge = EventBridgeEmulator.start(0, sqs);
        AwsClients dynamoClients = AwsClients.forEndpoint("us-east-1", dynamo.endpoint(), credentials);
        dynamoDb = dynamoClients.build(DynamoDbClient.builder());
        storeDynamoDb = dynamoClients.withInterceptors(List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(BeforeExecution context, ExecutionAttributes attributes) {
                // once per call, not per attempt: a retry on a loaded machine is not a second call of the store
                String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
                CALLS.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            }
        })).build(DynamoDbClient.builder());
        events = AwsClients.forEndpoint("us-east-1", eventBridge.endpoint(), credentials).build(EventBridgeClient.builder());
        dynamoDb.createTable(OrderHistoryTable.createTableRequest(TABLE));
        events.createEventBus(b -> b.name(BUS));
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        storeDynamoDb.close();
        events.close();
        eventBridge.close();
        sqs.close();
        sqsServer.stopAndWait();
        dynamo.close();
    }

    @BeforeEach
    void resetCalls() {
        CALLS.clear();
    }

    /** The DynamoDB calls the store made since the test started (or since the last {@code CALLS.clear()}). */
    private static Map<String, Integer> calls() {
        Map<String, Integer> counts = new TreeMap<>();
        CALLS.forEach((operation, n) -> counts.put(operation, n.get()));
        return counts;
    }

    /** A fresh queue pair and rule per test, so counts never leak between tests. */
    private void subscribe() {
        String name = "history-" + UUID.randomUUID().toString().substring(0, 8);
        dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = arn(dlqUrl);
        queueUrl = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}"))).queueUrl();
        events.putRule(b -> b.name(name).eventBusName(BUS)
                .eventPattern("{\"source\":[\"order-pipeline\"],\"detail-type\":[\"OrderConfirmed\"]}"));
        events.putTargets(b -> b.rule(name).eventBusName(BUS).targets(Target.builder().id("history").arn(arn(queueUrl)).build()));
    }

    private static String arn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static OrderHistoryHandler handler(OrderHistoryStore store) {
        return new OrderHistoryHandler(new OrderHistory(store), new OrderHistoryMetrics(null, false));
    }

    private static OrderHistoryStore realStore() {
        return new DynamoDbOrderHistoryStore(storeDynamoDb, TABLE);
    }

    private static OrderConfirmedV1 order(String customer, long number, Instant confirmedAt) {
        String orderId = UUID.randomUUID().toString();
        return new OrderConfirmedV1(UUID.nameUUIDFromBytes(orderId.getBytes()).toString(), orderId,
                String.format("ORD-%010d", number), customer, "EUR",
                List.of(new OrderConfirmedV1.Line("SKU-1", 1, new BigDecimal("9.90"), new BigDecimal("9.90"))),
                new BigDecimal("9.90"), confirmedAt.minusSeconds(1), confirmedAt);
    }

    private static void publish(String detail) {
        var response = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName(BUS)
                .source("order-pipeline").detailType("OrderConfirmed").detail(detail).build()));
        assertThat(response.failedEntryCount()).isZero();
    }

    private static void publish(OrderConfirmedV1 e) {
        publish(OrderConfirmedV1Json.write(e));
    }

    /** One event source mapping poll: returns the handler's answer (null when the queue gave nothing). */
    private SQSBatchResponse pump(OrderHistoryHandler handler) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        if (messages.isEmpty()) {
            return null;
        }
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setBody(m.body());
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        SQSBatchResponse response = handler.handleRequest(event, CONTEXT);
        Set<String> failed = new java.util.HashSet<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return response;
    }

    private int visible(String url) {
        var attrs = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private void drain(OrderHistoryHandler handler) {
        await("the subscriber queue to empty").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    pump(handler);
                    return visible(queueUrl) == 0;
                });
    }

    private static Map<String, AttributeValue> history(String customer) {
        return dynamoDb.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of(OrderHistoryTable.PK, AttributeValue.fromS(OrderHistoryTable.CUSTOMER_PREFIX + customer)))).item();
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void handler_whenTheSameEventIsDeliveredManyTimes_recordsOneEntryAndCountsTheDuplicates() {
        subscribe();
        String customer = "cust-dup-" + UUID.randomUUID();
        OrderConfirmedV1 e = order(customer, 101, Instant.parse("2026-11-26T10:00:00Z"));
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        OrderHistoryStore counting = event -> {
            deliveries.incrementAndGet();
            OrderHistoryStore.Outcome outcome = realStore().record(event);
            if (outcome == OrderHistoryStore.Outcome.DUPLICATE) {
                duplicates.incrementAndGet();
            }
            return outcome;
        };

        for (int i = 0; i < 4; i++) {
            publish(e);
        }
        drain(handler(counting));

        // a loaded machine may let the 1 s visibility timeout pass mid-batch: SQS then delivers a fifth copy
        assertThat(deliveries).as("deliveries of the one event").hasValueGreaterThanOrEqualTo(4);
        assertThat(duplicates).as("duplicates the test actually delivered and the store recognised")
                .hasValue(deliveries.get() - 1);
        assertThat(history(customer).get("orderNumbers").ss()).containsExactly("ORD-0000000101");
        assertThat(calls()).as("one UpdateItem per delivery: the repeats fail its condition and write nothing")
                .isEqualTo(Map.of("UpdateItem", deliveries.get()));
    }

    @Test
    void handler_whenAnOlderEventArrivesAfterANewerOne_keepsTheNewerAsLatestAndBothInTheHistory() {
        subscribe();
        String customer = "cust-order-" + UUID.randomUUID();
        OrderConfirmedV1 older = order(customer, 201, Instant.parse("2026-11-26T10:00:00Z"));
        OrderConfirmedV1 newer = order(customer, 202, Instant.parse("2026-11-26T11:00:00Z"));
        OrderHistoryHandler handler = handler(realStore());

        publish(newer);
        drain(handler);
        publish(older);
        drain(handler);

        Map<String, AttributeValue> item = history(customer);
        assertThat(item.get("orderNumbers").ss()).containsExactlyInAnyOrder("ORD-0000000201", "ORD-0000000202");
        assertThat(item.get("latestOrderNumber").s()).isEqualTo("ORD-0000000202");
        assertThat(item.get("latestOrderId").s()).isEqualTo(newer.orderId());
    }

    @Test
    void record_whenEventsArriveInOrder_storesEachWithOneUpdateItem_andNoTransaction() {
        String customer = "cust-inorder-" + UUID.randomUUID();
        List<OrderConfirmedV1> orders = List.of(order(customer, 501, Instant.parse("2026-11-26T10:00:00Z")),
                order(customer, 502, Instant.parse("2026-11-26T10:01:00Z")),
                order(customer, 503, Instant.parse("2026-11-26T10:02:00Z")));
        OrderHistoryStore store = realStore();
        List<OrderHistoryStore.Outcome> outcomes = orders.stream().map(store::record).toList();

        assertThat(outcomes).containsOnly(OrderHistoryStore.Outcome.RECORDED);

        assertThat(calls()).as("DynamoDB calls for 3 in-order events (no TransactWriteItems, no read)")
                .isEqualTo(Map.of("UpdateItem", 3));
        Map<String, AttributeValue> item = history(customer);
        assertThat(item.get("orderNumbers").ss()).containsExactlyInAnyOrder("ORD-0000000501", "ORD-0000000502", "ORD-0000000503");
        assertThat(item.get("latestOrderNumber").s()).isEqualTo("ORD-0000000503");
        assertThat(item.get("latestConfirmedAt").n()).isEqualTo(Long.toString(orders.get(2).confirmedAt().toEpochMilli()));
        assertThat(item.get("customerId").s()).isEqualTo(customer);
    }

    @Test
    void record_whenAnOlderEventArrivesLate_addsItToTheSetWithASecondWrite_andLatestStaysOnTheNewer() {
        String customer = "cust-late-" + UUID.randomUUID();
        OrderConfirmedV1 older = order(customer, 601, Instant.parse("2026-11-26T10:00:00Z"));
        OrderConfirmedV1 newer = order(customer, 602, Instant.parse("2026-11-26T11:00:00Z"));
        OrderHistoryStore store = realStore();
        store.record(newer);
        CALLS.clear();

        assertThat(store.record(older)).isEqualTo(OrderHistoryStore.Outcome.RECORDED);

        assertThat(calls()).as("the conditional write fails (not newer), the set-only write records it")
                .isEqualTo(Map.of("UpdateItem", 2));
        Map<String, AttributeValue> item = history(customer);
        assertThat(item.get("orderNumbers").ss()).containsExactlyInAnyOrder("ORD-0000000601", "ORD-0000000602");
        assertThat(item.get("latestOrderNumber").s()).isEqualTo("ORD-0000000602");
        assertThat(item.get("latestOrderId").s()).isEqualTo(newer.orderId());
    }

    @Test
    void record_whenTheLatestEventIsRepeated_isDuplicate_andChangesNothing() {
        String customer = "cust-repeat-" + UUID.randomUUID();
        OrderConfirmedV1 e = order(customer, 701, Instant.parse("2026-11-26T10:00:00Z"));
        OrderHistoryStore store = realStore();
        store.record(e);
        Map<String, AttributeValue> before = history(customer);
        CALLS.clear();

        assertThat(store.record(e)).isEqualTo(OrderHistoryStore.Outcome.DUPLICATE);

        assertThat(calls()).as("one conditional write, failed: nothing written").isEqualTo(Map.of("UpdateItem", 1));
        assertThat(history(customer)).isEqualTo(before);
    }

    @Test
    void record_whenALateOlderEventIsRepeated_isDuplicate_andChangesNothing() {
        String customer = "cust-repeat-late-" + UUID.randomUUID();
        OrderConfirmedV1 older = order(customer, 801, Instant.parse("2026-11-26T10:00:00Z"));
        OrderConfirmedV1 newer = order(customer, 802, Instant.parse("2026-11-26T11:00:00Z"));
        OrderHistoryStore store = realStore();
        store.record(newer);
        store.record(older);
        Map<String, AttributeValue> before = history(customer);
        CALLS.clear();

        assertThat(store.record(older)).isEqualTo(OrderHistoryStore.Outcome.DUPLICATE);

        assertThat(calls()).as("the failed condition returns the item, whose set already holds the order")
                .isEqualTo(Map.of("UpdateItem", 1));
        assertThat(history(customer)).isEqualTo(before);
    }

    /** Tables written by the previous version hold the same customer items plus EVENT# markers, which are ignored. */
    @Test
    void record_whenTheTableWasWrittenByThePreviousVersion_readsItsHistory_andLeavesItsMarkersAlone() {
        String customer = "cust-v0-" + UUID.randomUUID();
        OrderConfirmedV1 recordedBefore = order(customer, 901, Instant.parse("2026-11-26T10:00:00Z"));
        OrderConfirmedV1 next = order(customer, 902, Instant.parse("2026-11-26T11:00:00Z"));
        Map<String, AttributeValue> marker = Map.of(OrderHistoryTable.PK, AttributeValue.fromS("EVENT#" + recordedBefore.eventId()),
                "orderId", AttributeValue.fromS(recordedBefore.orderId()), "expiresAt", AttributeValue.fromN("1796000000"));
        dynamoDb.putItem(b -> b.tableName(TABLE).item(marker));
        dynamoDb.putItem(b -> b.tableName(TABLE).item(Map.of(
                OrderHistoryTable.PK, AttributeValue.fromS(OrderHistoryTable.CUSTOMER_PREFIX + customer),
                "customerId", AttributeValue.fromS(customer), "latestOrderNumber", AttributeValue.fromS("ORD-0000000901"),
                "latestOrderId", AttributeValue.fromS(recordedBefore.orderId()), "latestTotal", AttributeValue.fromS("9.90"),
                "latestCurrency", AttributeValue.fromS("EUR"),
                "latestConfirmedAt", AttributeValue.fromN(Long.toString(recordedBefore.confirmedAt().toEpochMilli())),
                "orderNumbers", AttributeValue.fromSs(List.of("ORD-0000000901")))));
        OrderHistoryStore store = realStore();

        assertThat(store.record(recordedBefore)).as("a redelivery of an event the previous version recorded")
                .isEqualTo(OrderHistoryStore.Outcome.DUPLICATE);
        assertThat(store.record(next)).isEqualTo(OrderHistoryStore.Outcome.RECORDED);

        assertThat(calls()).isEqualTo(Map.of("UpdateItem", 2));
        assertThat(history(customer).get("orderNumbers").ss()).containsExactlyInAnyOrder("ORD-0000000901", "ORD-0000000902");
        assertThat(history(customer).get("latestOrderNumber").s()).isEqualTo("ORD-0000000902");
        assertThat(dynamoDb.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of(OrderHistoryTable.PK, marker.get(OrderHistoryTable.PK)))).item())
                .as("the old marker, untouched until its TTL").isEqualTo(marker);
    }

    @Test
    void handler_whenAnEventIsPoison_reportsItFailedUntilItReachesTheDlq_andRecordsTheRest() {
        subscribe();
        String customer = "cust-poison-" + UUID.randomUUID();
        OrderConfirmedV1 good = order(customer, 301, Instant.parse("2026-11-26T10:00:00Z"));
        String poison = OrderConfirmedV1Json.toJson(order(customer, 302, Instant.parse("2026-11-26T10:01:00Z")))
                .without("lines").toString();
        OrderHistoryHandler handler = handler(realStore());
        AtomicInteger reportedFailures = new AtomicInteger();

        publish(poison);
        publish(good);
        await("the poison event in the subscriber DLQ").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    SQSBatchResponse r = pump(handler);
                    if (r != null) {
                        reportedFailures.addAndGet(r.getBatchItemFailures().size());
                    }
                    return visible(dlqUrl) == 1 && visible(queueUrl) == 0;
                });

        assertThat(reportedFailures).as("failures reported for the poison message, one per receive").hasValue(MAX_RECEIVE_COUNT);
        assertThat(history(customer).get("orderNumbers").ss()).containsExactly("ORD-0000000301");
        Message dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl)).messages().get(0);
        assertThat(dead.body()).as("the DLQ keeps the whole event, replayable").contains("\"detail-type\":\"OrderConfirmed\"");
    }

    @Test
    void handler_whenOneWriteFailsMidBatch_reportsOnlyThatItem_andItSucceedsOnRedelivery() {
        subscribe();
        String customer = "cust-mid-" + UUID.randomUUID();
        List<OrderConfirmedV1> orders = List.of(order(customer, 401, Instant.parse("2026-11-26T10:00:00Z")),
                order(customer, 402, Instant.parse("2026-11-26T10:01:00Z")),
                order(customer, 403, Instant.parse("2026-11-26T10:02:00Z")));
        AtomicInteger injected = new AtomicInteger();
        OrderHistoryStore flaky = event -> {
            if (event.orderNumber().equals("ORD-0000000402") && injected.getAndIncrement() == 0) {
                throw new HistoryStoreUnavailableException("injected", new RuntimeException("throttled"));
            }
            return realStore().record(event);
        };
        OrderHistoryHandler handler = handler(flaky);
        orders.forEach(OrderHistorySubscriberIT::publish);

        SQSEvent batch = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        await("all three events on the queue").atMost(Duration.ofSeconds(30)).until(() -> visible(queueUrl) == 3);
        List<Message> received = new ArrayList<>();
        await("all three received").atMost(Duration.ofSeconds(30)).until(() -> {
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(30)).messages());
            return received.size() == 3;
        });
        String failingMessageId = null;
        for (Message m : received) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setBody(m.body());
            records.add(r);
            if (m.body().contains("ORD-0000000402")) {
                failingMessageId = m.messageId();
            }
        }
        batch.setRecords(records);

        SQSBatchResponse response = handler.handleRequest(batch, CONTEXT);

        assertThat(injected).as("the injected failure happened").hasValue(1);
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(failingMessageId);
        assertThat(history(customer).get("orderNumbers").ss()).containsExactlyInAnyOrder("ORD-0000000401", "ORD-0000000403");

        // SQS would redeliver the failed one: the second attempt records it
        SQSEvent retry = new SQSEvent();
        retry.setRecords(records.stream().filter(r -> r.getBody().contains("ORD-0000000402")).toList());
        assertThat(handler.handleRequest(retry, CONTEXT).getBatchItemFailures()).isEmpty();
        assertThat(history(customer).get("orderNumbers").ss())
                .containsExactlyInAnyOrder("ORD-0000000401", "ORD-0000000402", "ORD-0000000403");
        assertThat(history(customer).get("latestOrderNumber").s()).isEqualTo("ORD-0000000403");
    }
}
