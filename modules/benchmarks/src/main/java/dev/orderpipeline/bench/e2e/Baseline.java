package dev.orderpipeline.bench.e2e;

import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.bench.common.SampleOrders;
import dev.orderpipeline.bench.common.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The floor: the pipeline's AWS calls per order, issued straight through the SDK against the same endpoints, with no
 * pipeline code (no HTTP API, no validation, no domain model, no allocator, no logging):
 * <ul>
 *   <li>producers: (GetItem of the order, when idempotency keys are on) + SendMessage with the same attributes;</li>
 *   <li>workers (as many as the pipeline has pollers): ReceiveMessage of up to 10, one TransactWriteItems per order
 *       of the same shape (order put + number guard put + counter update in strict mode; order + guard, plus one
 *       UpdateItem per block, in block mode), PutEvents of up to 10, DeleteMessageBatch;</li>
 *   <li>the subscriber: ReceiveMessage of up to 10 from a queue the bus rule targets, DeleteMessageBatch.</li>
 * </ul>
 * The counter update has no condition: the baseline never loses a race, which is the point of a floor. It runs
 * closed-loop at maximum throughput with at most {@code window} orders in flight.
 */
final class Baseline {
    private static final String SOURCE = "bench-baseline";
    private static final String FINGERPRINT = "0".repeat(64);

    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;
    private final EventBridgeClient eventBridge;
    private final String table;
    private final String queueUrl;
    private final String subscriberUrl;
    private final String bus;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String counterKey = "COUNTER#bench-baseline-" + runId;
    private final AtomicLong numbers = new AtomicLong();

    Baseline(AwsClients clients, String table) {
        this.sqs = clients.build(SqsClient.builder());
        this.dynamoDb = clients.build(DynamoDbClient.builder());
        this.eventBridge = clients.build(EventBridgeClient.builder());
        this.table = table;
        this.queueUrl = sqs.createQueue(b -> b.queueName("bench-baseline-orders-" + runId)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
        this.subscriberUrl = sqs.createQueue(b -> b.queueName("bench-baseline-subscriber-" + runId)).queueUrl();
        String subscriberArn = sqs.getQueueAttributes(b -> b.queueUrl(subscriberUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        this.bus = "bench-baseline-" + runId;
        eventBridge.createEventBus(b -> b.name(bus));
        eventBridge.putRule(b -> b.name("bench-baseline").eventBusName(bus)
                .eventPattern("{\"source\":[\"" + SOURCE + "\"],\"detail-type\":[\"OrderConfirmed\"]}"));
        eventBridge.putTargets(b -> b.rule("bench-baseline").eventBusName(bus)
                .targets(Target.builder().id("subscriber").arn(subscriberArn).build()));
    }

    record Result(double ordersPerSecond, long orders, Duration window, int producers, int workers, int consumers,
                  String numberMode, boolean idempotencyKeys) {
    }

    Result run(Duration warmup, Duration window, int producers, int workers, int consumers, int inFlight, String numberMode,
               int blockSize, boolean idempotencyKeys, int lines) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong delivered = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        Running running = new Running();
        try (SubscriberDrain drain = new SubscriberDrain(sqs, subscriberUrl, consumers, (orderId, at) -> {
            delivered.incrementAndGet();
            permits.release();
        })) {
            for (int p = 0; p < producers; p++) {
                final int first = p;
                threads.add(start("bench-baseline-producer-" + p, () -> produce(first, producers, permits, running, idempotencyKeys, lines)));
            }
            for (int w = 0; w < workers; w++) {
                threads.add(start("bench-baseline-worker-" + w, () -> work(running, numberMode, blockSize)));
            }
            Thread.sleep(warmup.toMillis());
            long before = delivered.get();
            long t0 = System.nanoTime();
            Thread.sleep(window.toMillis());
            long count = delivered.get() - before;
            long elapsed = System.nanoTime() - t0;
            running.stop = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
            return new Result(Stats.perSecond(count, elapsed), count, window, producers, workers, consumers, numberMode,
                    idempotencyKeys);
        }
    }

    private static final class Running {
        volatile boolean stop;
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void produce(int first, int step, Semaphore permits, Running running, boolean idempotencyKeys, int lines) {
        long i = first;
        while (!running.stop) {
            try {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                String orderId = UUID.randomUUID().toString();
                String submittedAt = Instant.now().toString();
                if (idempotencyKeys) {
                    dynamoDb.getItem(b -> b.tableName(table).key(Map.of(OrdersTable.PK, s("ORDER#" + orderId))).consistentRead(true));
                }
                String body = "{\"messageVersion\":1,\"orderId\":\"" + orderId + "\",\"submittedAt\":\"" + submittedAt
                        + "\",\"order\":" + SampleOrders.body(i, lines) + "}";
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(Map.of(
                        "orderId", text(orderId), "submittedAt", text(submittedAt), "correlationId", text(orderId))));
                i += step;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.stop) {
                    permits.release();
                }
            }
        }
    }

    private void work(Running running, String numberMode, int blockSize) {
        boolean strict = "strict".equals(numberMode);
        long blockLeft = 0;
        while (!running.stop) {
            try {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
                if (batch.isEmpty()) {
                    continue;
                }
                List<PutEventsRequestEntry> entries = new ArrayList<>(batch.size());
                for (Message m : batch) {
                    String orderId = m.messageAttributes().get("orderId").stringValue();
                    String submittedAt = m.messageAttributes().get("submittedAt").stringValue();
                    String order = m.body().substring(m.body().indexOf("\"order\":") + 8, m.body().length() - 1);
                    if (!strict && blockLeft == 0) {
                        dynamoDb.updateItem(b -> b.tableName(table).key(Map.of(OrdersTable.PK, s(counterKey)))
                                .updateExpression("ADD #last :size").expressionAttributeNames(Map.of("#last", "last"))
                                .expressionAttributeValues(Map.of(":size", n(blockSize))).returnValues(ReturnValue.UPDATED_NEW));
                        blockLeft = blockSize;
                    }
                    blockLeft--;
                    long number = numbers.incrementAndGet();
                    String confirmedAt = Instant.now().toString();
                    dynamoDb.transactWriteItems(b -> b.transactItems(items(orderId, number, submittedAt, confirmedAt, order, strict)));
                    entries.add(PutEventsRequestEntry.builder().eventBusName(bus).source(SOURCE).detailType("OrderConfirmed")
                            .detail("{\"schemaVersion\":1,\"eventId\":\"" + orderId + "\",\"orderId\":\"" + orderId
                                    + "\",\"orderNumber\":\"" + String.format("ORD-%010d", number) + "\",\"submittedAt\":\""
                                    + submittedAt + "\",\"confirmedAt\":\"" + confirmedAt + "\",\"order\":" + order + "}")
                            .resources(List.of()).build());
                }
                for (int from = 0; from < entries.size(); from += 10) {
                    List<PutEventsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + 10));
                    eventBridge.putEvents(b -> b.entries(chunk));
                }
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(batch.size());
                for (Message m : batch) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                            .receiptHandle(m.receiptHandle()).build());
                }
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
            } catch (RuntimeException e) {
                if (!running.stop) {
                    System.err.println("baseline worker: " + e);
                }
            }
        }
    }

    private List<TransactWriteItem> items(String orderId, long number, String submittedAt, String confirmedAt, String order,
                                          boolean strict) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(OrdersTable.PK, s("ORDER#" + orderId));
        item.put("kind", s("ORDER"));
        item.put("orderId", s(orderId));
        item.put("orderNumber", n(number));
        item.put("orderNumberText", s(String.format("ORD-%010d", number)));
        item.put("status", s("CONFIRMED"));
        item.put("fingerprint", s(FINGERPRINT));
        item.put("submittedAt", s(submittedAt));
        item.put("confirmedAt", s(confirmedAt));
        item.put("order", s(order));
        List<TransactWriteItem> items = new ArrayList<>(3);
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", OrdersTable.PK))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build());
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(Map.of(OrdersTable.PK, s("NUMBER#bench-" + runId + "-" + number), "kind", s("NUMBER"), "orderId", s(orderId)))
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", OrdersTable.PK))
                .build()).build());
        if (strict) {
            items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(Map.of(OrdersTable.PK, s(counterKey)))
                    .updateExpression("SET #last = :next, #kind = :kind")
                    .expressionAttributeNames(Map.of("#last", "last", "#kind", "kind"))
                    .expressionAttributeValues(Map.of(":next", n(number), ":kind", s("COUNTER")))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).build());
        }
        return items;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
