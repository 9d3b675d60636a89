package dev.orderpipeline.bench.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.bench.common.SubscribedBus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The floor: the pipeline's AWS calls per order, issued straight through the SDK against the same endpoints, with no
 * pipeline code (no API Gateway emulation, no validation, no domain model, no allocator, no logging), measured exactly
 * as the pipeline is: the same open-loop load generator posts orders over HTTP, so the baseline pays the same HTTP hop
 * for its intake step, and the same subscriber drain matches each event to its order.
 * <ul>
 *   <li>intake: a JDK {@code HttpServer} set up as the local HTTP API's (backlog 256, 16 threads) answering
 *       {@code POST /orders}: (when the request has an {@code Idempotency-Key}: GetItem of the order, then the key's
 *       conditional PutItem) + SendMessage with the same attributes, then {@code 202 {"orderId":...}};</li>
 *   <li>workers (as many as the pipeline has pollers): ReceiveMessage of up to 10, per order the same write as the
 *       pipeline's (strict: one TransactWriteItems of order put + number guard put + counter update; block: the
 *       order's conditional PutItem, plus one UpdateItem per block), PutEvents of up to 10, DeleteMessageBatch;</li>
 *   <li>the subscriber: a queue the bus rule targets, drained by the caller.</li>
 * </ul>
 * The counter update has no condition, so the baseline never loses a number race, which is the point of a floor. Two
 * workers' transactions on the one counter item still conflict, as on DynamoDB ({@code TransactionConflict}): those
 * are retried at once. An order already stored (a redelivery) is published again, as the pipeline does; an order
 * that fails otherwise is left on the queue, and the rest of its batch goes on.
 */
final class Baseline implements AutoCloseable {
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
    private final Running running = new Running();
    private final List<Thread> workers = new ArrayList<>();
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "bench-baseline-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer intake;

    Baseline(AwsClients clients, String table, int workerCount, String numberMode, int blockSize) {
        this.sqs = clients.build(SqsClient.builder());
        this.dynamoDb = clients.build(DynamoDbClient.builder());
        this.eventBridge = clients.build(EventBridgeClient.builder());
        this.table = table;
        this.queueUrl = sqs.createQueue(b -> b.queueName("bench-baseline-orders-" + runId)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
        SubscribedBus subscribed = SubscribedBus.create(sqs, eventBridge, "bench-baseline-" + runId, SOURCE);
        this.bus = subscribed.name();
        this.subscriberUrl = subscribed.queueUrl();
        try {
            intake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        intake.createContext("/orders", this::accept);
        intake.setExecutor(httpThreads);
        intake.start();
        for (int w = 0; w < workerCount; w++) {
            Thread t = new Thread(() -> work(running, numberMode, blockSize), "bench-baseline-worker-" + w);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /** Where the load generator posts orders. */
    URI url() {
        return URI.create("http://127.0.0.1:" + intake.getAddress().getPort());
    }

    /** The queue the bus delivers every OrderConfirmed of the baseline to. */
    String subscriberQueueUrl() {
        return subscriberUrl;
    }

    SqsClient sqs() {
        return sqs;
    }

    @Override
    public void close() throws InterruptedException {
        running.stop = true;
        intake.stop(0);
        httpThreads.shutdownNow();
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private static final class Running {
        volatile boolean stop;
    }

    private void accept(HttpExchange exchange) throws IOException {
        try (exchange) {
            String order = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String orderId = UUID.randomUUID().toString();
            String submittedAt = Instant.now().toString();
            int status = 202;
            try {
                if (exchange.getRequestHeaders().getFirst("Idempotency-Key") != null) {
                    dynamoDb.getItem(b -> b.tableName(table).key(Map.of(OrdersTable.PK, s("ORDER#" + orderId))).consistentRead(true));
                    dynamoDb.putItem(b -> b.tableName(table).item(Map.of(OrdersTable.PK, s("IDEMPOTENCY#" + orderId),
                                    "kind", s("IDEMPOTENCY"), "orderId", s(orderId), "fingerprint", s(FINGERPRINT),
                                    "submittedAt", s(submittedAt), "expiresAt", n(Instant.now().getEpochSecond() + 1_209_600)))
                            .conditionExpression("attribute_not_exists(#pk) OR #expiresAt <= :now")
                            .expressionAttributeNames(Map.of("#pk", OrdersTable.PK, "#expiresAt", "expiresAt"))
                            .expressionAttributeValues(Map.of(":now", n(Instant.now().getEpochSecond())))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                }
                String body = "{\"messageVersion\":1,\"orderId\":\"" + orderId + "\",\"submittedAt\":\"" + submittedAt
                        + "\",\"order\":" + order + "}";
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(Map.of(
                        "orderId", text(orderId), "submittedAt", text(submittedAt), "correlationId", text(orderId))));
            } catch (RuntimeException e) {
                status = 503;
            }
            byte[] response = (status == 202 ? "{\"orderId\":\"" + orderId + "\",\"status\":\"PENDING\"}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, response.length);
            exchange.getResponseBody().write(response);
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
                List<Message> done = new ArrayList<>(batch.size());
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
                    if (!store(items(orderId, number, submittedAt, confirmedAt, order, strict))) {
                        continue;
                    }
                    done.add(m);
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
                if (done.isEmpty()) {
                    continue;
                }
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(done.size());
                for (Message m : done) {
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

    /** Stores one order; false when it failed for another reason than a conflict (it stays on the queue). */
    private boolean store(List<TransactWriteItem> items) {
        if (items.size() == 1) { // block mode: the order's conditional put alone, as the pipeline stores it
            Put put = items.get(0).put();
            try {
                dynamoDb.putItem(b -> b.tableName(put.tableName()).item(put.item())
                        .conditionExpression(put.conditionExpression()).expressionAttributeNames(put.expressionAttributeNames())
                        .returnValuesOnConditionCheckFailure(put.returnValuesOnConditionCheckFailure()));
            } catch (ConditionalCheckFailedException e) {
                // stored by an earlier delivery
            } catch (RuntimeException e) {
                System.err.println("baseline worker: " + e.getMessage());
                return false;
            }
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(b -> b.transactItems(items));
                return true;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                    return true; // stored by an earlier delivery
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == 10) {
                    System.err.println("baseline worker: " + e.getMessage());
                    return false;
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
        if (strict) {
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                    .item(Map.of(OrdersTable.PK, s("NUMBER#bench-" + runId + "-" + number), "kind", s("NUMBER"), "orderId", s(orderId)))
                    .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", OrdersTable.PK))
                    .build()).build());
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
