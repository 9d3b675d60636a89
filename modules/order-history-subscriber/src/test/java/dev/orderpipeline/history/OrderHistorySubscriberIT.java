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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
 * mapping: receive a batch, invoke the handler, delete all but the reported failures.
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
        dynamoDb = AwsClients.forEndpoint("us-east-1", dynamo.endpoint(), credentials).build(DynamoDbClient.builder());
        events = AwsClients.forEndpoint("us-east-1", eventBridge.endpoint(), credentials).build(EventBridgeClient.builder());
        dynamoDb.createTable(OrderHistoryTable.createTableRequest(TABLE));
        events.createEventBus(b -> b.name(BUS));
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        events.close();
        eventBridge.close();
        sqs.close();
        sqsServer.stopAndWait();
        dynamo.close();
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
        return new OrderHistoryHandler(new OrderHistory(store, Duration.ofDays(7), Clock.systemUTC()),
                new OrderHistoryMetrics(null, false));
    }

    private static OrderHistoryStore realStore() {
        return new DynamoDbOrderHistoryStore(dynamoDb, TABLE);
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
        AtomicInteger duplicates = new AtomicInteger();
        OrderHistoryStore counting = (event, expires) -> {
            OrderHistoryStore.Outcome outcome = realStore().record(event, expires);
            if (outcome == OrderHistoryStore.Outcome.DUPLICATE) {
                duplicates.incrementAndGet();
            }
            return outcome;
        };

        for (int i = 0; i < 4; i++) {
            publish(e);
        }
        drain(handler(counting));

        assertThat(duplicates).as("duplicates the test actually delivered and the marker caught").hasValue(3);
        assertThat(history(customer).get("orderNumbers").ss()).containsExactly("ORD-0000000101");
        assertThat(dynamoDb.getItem(b -> b.tableName(TABLE).key(Map.of(OrderHistoryTable.PK,
                AttributeValue.fromS(OrderHistoryTable.EVENT_PREFIX + e.eventId())))).item())
                .as("the dedup marker carries a TTL").containsKey(OrderHistoryTable.EXPIRES_AT);
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
        OrderHistoryStore flaky = (event, expires) -> {
            if (event.orderNumber().equals("ORD-0000000402") && injected.getAndIncrement() == 0) {
                throw new HistoryStoreUnavailableException("injected", new RuntimeException("throttled"));
            }
            return realStore().record(event, expires);
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
