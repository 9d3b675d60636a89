package dev.orderpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.aws.SqsOrderQueue;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.PendingOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.history.OrderHistoryTable;
import dev.orderpipeline.local.EndpointsFile;
import dev.orderpipeline.local.LocalPipeline;
import dev.orderpipeline.local.LocalSettings;
import dev.orderpipeline.local.PipelineResources;
import dev.orderpipeline.local.Provisioned;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The CLI against an in-process local runtime (embedded ElasticMQ, DynamoDB and EventBridge, the real handlers),
 * found through an endpoints file exactly as a running {@code ./run-local} publishes it. The orders queue's
 * visibility timeout is 2 s here, so a failing message reaches the dead-letter queue after three receives in ~5 s.
 *
 * <p>Ordered, because the tests share one pipeline: the events test runs first, while the subscriber queue holds
 * only its own event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersCliIT {
    private static final Pattern ORDER_ID = Pattern.compile("orderId:\\s+([0-9a-f-]{36})");
    private static final String VALID_ORDER = "{\"customerId\":\"cust-42\",\"currency\":\"EUR\",\"lines\":["
            + "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":\"12.50\"},{\"sku\":\"SKU-2\",\"quantity\":1,\"unitPrice\":\"0.99\"}]}";

    @TempDir
    static Path dir;

    private LocalPipeline pipeline;
    private Provisioned resources;
    private SqsClient sqs;
    private DynamoDbClient dynamoDb;
    private Path endpointsFile;
    private JsonNode endpoints;

    @BeforeAll
    void startLocalRuntime() throws IOException {
        pipeline = LocalPipeline.start(LocalSettings.forTests());
        resources = pipeline.resources();
        sqs = pipeline.clients().build(SqsClient.builder());
        dynamoDb = pipeline.clients().build(DynamoDbClient.builder());
        endpointsFile = dir.resolve("local-runtime.json");
        endpoints = EndpointsFile.describe(pipeline);
        Files.writeString(endpointsFile, OrderJson.write(endpoints), StandardCharsets.UTF_8);
    }

    @AfterAll
    void stopLocalRuntime() {
        if (sqs != null) {
            sqs.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void eventsTail_whenAnOrderIsConfirmed_printsItsEventAndDeletesIt() throws IOException {
        String orderId = submitValidOrder();

        CliRunner.Result tail = cli("events", "tail", "--max", "1", "--timeout", "20s");

        assertThat(tail.exitCode()).as(tail.toString()).isZero();
        assertThat(tail.out().lines().toList()).as(tail.toString()).singleElement().asString()
                .contains(orderId)
                .contains("ORD-")
                .contains("25.99 EUR")
                .contains("event ");
        // a printed event that was not deleted would stay in flight for the queue's 30 s visibility timeout (a later
        // duplicate delivery, which at-least-once confirmation allows, would be visible instead)
        assertThat(depth(resources.subscriberQueueUrl(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .as("the printed event was deleted from the subscriber queue").isZero();
    }

    @Test
    @Order(2)
    void eventsTail_whenFewerEventsThanMaxArrive_exits1AfterTheSilenceTimeout() {
        // a queue of its own (through the override flag): the pipeline's subscriber queue may receive a duplicate
        String empty = sqs.createQueue(b -> b.queueName("cli-it-silent-subscriber")).queueUrl();

        CliRunner.Result tail = cli("--subscriber-queue-url", empty, "events", "tail", "--max", "1", "--timeout", "2s");

        assertThat(tail.exitCode()).as(tail.toString()).isEqualTo(1);
        assertThat(tail.errLines()).last().asString().isEqualTo("orders: only 0 of 1 event(s) arrived before 2s without events");
    }

    @Test
    @Order(3)
    void submitAndStatus_whenOrderIsValid_printsAcceptedThenConfirmed() throws IOException {
        Path order = Files.writeString(dir.resolve("order.json"), VALID_ORDER);

        CliRunner.Result submit = cli("submit", order.toString(), "--idempotency-key", "it-submit-1");

        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        assertThat(submit.out()).startsWith("HTTP 202 Accepted").contains("status:      PENDING").contains("location:    /orders/");
        String orderId = orderIdIn(submit.out());
        CliRunner.Result status = await("order " + orderId + " shown as CONFIRMED by `orders status`")
                .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> cli("status", orderId), r -> r.exitCode() == 0);
        assertThat(status.out())
                .contains("orderId:     " + orderId)
                .contains("status:      CONFIRMED")
                .containsPattern("orderNumber: ORD-\\d+")
                .contains("total:       25.99 EUR");
    }

    @Test
    @Order(4)
    void status_whenOrderIsUnknown_saysNotConfirmedYetAndExits1() {
        CliRunner.Result status = cli("status", OrderId.random().value());

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.errLines()).singleElement().asString().contains("is not confirmed yet (or unknown)");
        assertThat(status.out()).isEmpty();
    }

    @Test
    @Order(5)
    void submit_whenOrderIsInvalid_printsEveryFieldErrorAndExits1() throws IOException {
        Path order = Files.writeString(dir.resolve("invalid.json"),
                "{\"customerId\":\"cust-42\",\"currency\":\"EURO\",\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":0,\"unitPrice\":\"12.50\"}]}");

        CliRunner.Result submit = cli("submit", order.toString());

        assertThat(submit.exitCode()).as(submit.toString()).isEqualTo(1);
        assertThat(submit.out())
                .startsWith("HTTP 422 The order is not valid")
                .contains("2 fields are invalid.")
                .contains("  /currency: ")
                .contains("  /lines/0/quantity: ");
        assertThat(submit.errLines()).containsExactly(
                "orders: the order was not accepted (HTTP 422, validation-failed); fix the order and submit it again");
    }

    @Test
    @Order(6)
    void dlqReplay_whenSourceIsNotADeadLetterQueue_refusesInsteadOfHanging() {
        long started = System.nanoTime();

        CliRunner.Result replay = cli("dlq", "replay", "--dlq-url", resources.ordersQueueUrl());

        assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(2);
        assertThat(replay.errLines()).singleElement().asString()
                .contains("order-pipeline-local-orders is not the dead-letter queue of any queue");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * The operator flow: a poison message lands in the dead-letter queue and is inspected without being consumed;
     * a valid order that failed during an outage is put there too; a replay moves both back; the valid order is
     * confirmed exactly once, and the poison message, still unreadable, returns to the dead-letter queue.
     */
    @Test
    @Order(7)
    void dlq_operatorFlow_inspectsWithoutConsumingThenReplaysAndConfirmsExactlyOnce() {
        String dlq = resources.deadLetterQueueUrl();
        String poisonId = sqs.sendMessage(b -> b.queueUrl(resources.ordersQueueUrl()).messageBody("not json {\n\t]")).messageId();
        awaitVisibleInDlq(1, "the poison message in the dead-letter queue after three failed receives");

        CliRunner.Result stats = cli("dlq", "stats");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        assertThat(stats.out()).contains("visible:           1").containsPattern("oldest message:    \\d+s old \\(sent ");

        CliRunner.Result peek = cli("dlq", "peek");
        assertThat(peek.exitCode()).as(peek.toString()).isZero();
        assertThat(peek.out())
                .contains("messageId:    " + poisonId)
                .contains("body:       not json {\\n\\t]")
                .contains("1 message(s) shown; nothing was consumed");
        assertThat(cli("dlq", "stats").out()).as("still in the dead-letter queue after the peek").contains("visible:           1");

        // a valid order whose confirmation failed during an outage, as the orders queue would have moved it here
        PendingOrder stranded = new PendingOrder(OrderId.random(), Instant.now().minusSeconds(600),
                OrderSubmissionJson.read(VALID_ORDER.getBytes(StandardCharsets.UTF_8)));
        sendToDlq(stranded);
        awaitVisibleInDlq(2, "the stranded order next to the poison message");

        CliRunner.Result dryRun = cli("dlq", "replay", "--dry-run");
        assertThat(dryRun.out()).startsWith("dry run: would start a message move task: ~2 message(s)");
        assertThat(depth(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo(2);

        CliRunner.Result replay = cli("dlq", "replay", "--wait", "--timeout", "60s");

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("started move task: ~2 message(s)").contains("task handle: ")
                .contains("move task COMPLETED: 2 message(s) moved back to "
                        + DlqReplayCommand.name(resources.ordersQueueUrl()));
        awaitConfirmed(stranded.orderId());
        assertThat(confirmedItemsOf(stranded.orderId())).as("ORDER# items for the replayed order").isEqualTo(1);
        assertThat(numbersTakenBy(stranded.orderId())).as("order numbers taken by the replayed order").isEqualTo(1);
        // the poison message is still unreadable: three more receives, and it is back (the only one there)
        awaitVisibleInDlq(1, "the poison message back in the dead-letter queue");
        CliRunner.Result after = cli("dlq", "peek", "-n", "10");
        assertThat(after.out()).contains(poisonId).doesNotContain(stranded.orderId().value());
    }

    @Test
    @Order(8)
    void dlqReplayMax_whenLimited_movesThatManyMessagesOneByOne() {
        String dlq = resources.deadLetterQueueUrl();
        sqs.purgeQueue(b -> b.queueUrl(dlq));
        PendingOrder first = pendingOrder();
        PendingOrder second = pendingOrder();
        sendToDlq(first);
        sendToDlq(second);
        awaitVisibleInDlq(2, "two stranded orders");

        CliRunner.Result replay = cli("dlq", "replay", "--max", "1");

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).containsPattern("moved [0-9a-f-]{36} -> [0-9a-f-]{36}  orderId [0-9a-f-]{36}")
                .contains("moved 1 message(s) from order-pipeline-local-orders-dlq to order-pipeline-local-orders one by one");
        Matcher moved = Pattern.compile("orderId ([0-9a-f-]{36})").matcher(replay.out());
        assertThat(moved.find()).isTrue();
        OrderId movedId = new OrderId(moved.group(1));
        OrderId leftId = movedId.equals(first.orderId()) ? second.orderId() : first.orderId();
        awaitConfirmed(movedId);
        assertThat(confirmedItemsOf(movedId)).isEqualTo(1);
        assertThat(numbersTakenBy(movedId)).isEqualTo(1);
        assertThat(depth(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).as("the other one stays").isEqualTo(1);
        assertThat(cli("dlq", "peek").out()).contains(leftId.value());
        assertThat(cli("status", leftId.value()).exitCode()).as("the order left in the DLQ is not confirmed").isEqualTo(1);
    }

    /**
     * The local archive: an order confirmed between two instants is replayed by {@code events replay} onto the bus,
     * and reaches the bus's rules again marked with the replay's name; events outside the window are not replayed.
     */
    @Test
    @Order(9)
    void eventsReplay_whenLocal_replaysTheArchivedEventsOfTheWindowOntoTheBus() throws IOException {
        Instant from = nextWholeSecond();
        String orderId = submitValidOrder();
        awaitConfirmed(new OrderId(orderId));
        Instant to = nextWholeSecond();
        String subscriberQueue = resources.subscriberQueueUrl();
        sqs.purgeQueue(b -> b.queueUrl(subscriberQueue));

        CliRunner.Result replay = cli("events", "replay", "--from", from.toString(), "--to", to.toString(), "--wait",
                "--timeout", "60s");

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("started replay orders-cli-").contains("onto " + endpoints.get("eventBusArn").asText())
                .contains("replay COMPLETED");
        List<JsonNode> replayed = new ArrayList<>();
        await("the replayed event on the example subscriber queue").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    sqs.receiveMessage(b -> b.queueUrl(subscriberQueue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                            .forEach(m -> replayed.add(OrderJson.parse(m.body().getBytes(StandardCharsets.UTF_8))));
                    return replayed.stream().anyMatch(e -> e.has("replay-name"));
                });
        List<JsonNode> marked = replayed.stream().filter(e -> e.has("replay-name")).toList();
        assertThat(marked).as("replayed events: only the window's order (a republished duplicate of it may be archived too)")
                .allSatisfy(e -> assertThat(e.get("detail").get("orderId").asText()).isEqualTo(orderId));
        assertThat(marked.get(0).get("replay-name").asText()).startsWith("orders-cli-");
    }

    /**
     * The example subscriber's own DLQ, replayed with the same CLI as the orders DLQ: while its table is gone (an
     * outage) an order's event fails every receive and is dead-lettered; once the table is back, {@code dlq replay}
     * with the subscriber's queues moves it back and the order shows up in its customer's history.
     */
    @Test
    @Order(10)
    void dlqReplay_ofTheSubscriberDlq_whenTheOutageIsOver_recordsTheOrderInTheHistory() throws IOException {
        String historyQueue = endpoints.get("orderHistoryQueueUrl").asText();
        String historyDlq = endpoints.get("orderHistoryDeadLetterQueueUrl").asText();
        String historyTable = PipelineResources.physicalName(resources.stack(), PipelineResources.HISTORY_TABLE);
        // five failed receives, one second apart, instead of five visibility timeouts of three minutes
        sqs.setQueueAttributes(b -> b.queueUrl(historyQueue).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1")));
        dynamoDb.deleteTable(b -> b.tableName(historyTable));

        String orderId = submitValidOrder();
        String orderNumber = await("order " + orderId + " confirmed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> cli("status", orderId), r -> r.exitCode() == 0).out().lines()
                .filter(l -> l.startsWith("orderNumber: ")).findFirst().orElseThrow().substring("orderNumber: ".length()).trim();
        // dlq peek shows the start of each body: an OrderConfirmed envelope (the effect below shows it is this order's)
        await("the order's event in the subscriber DLQ after five failed receives").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> cli("--dlq-url", historyDlq, "dlq", "peek", "-n", "10").out()
                        .contains("\"detail-type\":\"OrderConfirmed\""));

        dynamoDb.createTable(OrderHistoryTable.createTableRequest(historyTable));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(historyTable));
        CliRunner.Result replay = cli("--dlq-url", historyDlq, "--queue-url", historyQueue, "dlq", "replay", "--wait",
                "--timeout", "60s");

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("move task COMPLETED");
        await("order " + orderNumber + " in the history of customer cust-42").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(historyTable).key(Map.of(
                            OrderHistoryTable.PK, AttributeValue.fromS(OrderHistoryTable.CUSTOMER_PREFIX + "cust-42")))).item();
                    return item.containsKey("orderNumbers") && item.get("orderNumbers").ss().contains(orderNumber);
                });
        assertThat(depth(historyDlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).as("subscriber DLQ after the replay")
                .isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The next whole second, once the clock has passed it: event times are whole seconds. */
    private static Instant nextWholeSecond() {
        Instant next = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        await("the clock passes " + next).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().isAfter(next));
        return next;
    }

    private CliRunner.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--local-file", endpointsFile.toString()));
        all.addAll(List.of(args));
        return CliRunner.run(Map.of("AWS_REGION", "us-east-1"), all.toArray(String[]::new));
    }

    private String submitValidOrder() throws IOException {
        Path order = Files.writeString(dir.resolve("order-" + System.nanoTime() + ".json"), VALID_ORDER);
        CliRunner.Result submit = cli("submit", order.toString());
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        return orderIdIn(submit.out());
    }

    private static String orderIdIn(String out) {
        Matcher m = ORDER_ID.matcher(out);
        assertThat(m.find()).as("an orderId in:\n" + out).isTrue();
        return m.group(1);
    }

    private static PendingOrder pendingOrder() {
        return new PendingOrder(OrderId.random(), Instant.now().minusSeconds(60),
                OrderSubmissionJson.read(VALID_ORDER.getBytes(StandardCharsets.UTF_8)));
    }

    private void sendToDlq(PendingOrder order) {
        sqs.sendMessage(b -> b.queueUrl(resources.deadLetterQueueUrl())
                .messageBody(OrderMessageJson.write(order))
                .messageAttributes(Map.of(SqsOrderQueue.ATTR_ORDER_ID,
                        MessageAttributeValue.builder().dataType("String").stringValue(order.orderId().value()).build())));
    }

    private void awaitVisibleInDlq(long expected, String what) {
        await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> depth(resources.deadLetterQueueUrl(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == expected
                        && depth(resources.deadLetterQueueUrl(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 0);
    }

    private void awaitConfirmed(OrderId id) {
        await("order " + id + " confirmed after the replay").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> cli("status", id.value()), r -> r.exitCode() == 0 && r.out().contains("status:      CONFIRMED"));
    }

    private long depth(String queueUrl, QueueAttributeName attribute) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(attribute)).attributes().get(attribute));
    }

    /** ORDER# items the table holds for this order id. */
    private long confirmedItemsOf(OrderId id) {
        return itemsOf(id, "ORDER#");
    }

    /** Order numbers taken by this order id: one NUMBER# item per number handed out. */
    private long numbersTakenBy(OrderId id) {
        return itemsOf(id, "NUMBER#");
    }

    private long itemsOf(OrderId id, String keyPrefix) {
        return dynamoDb.scanPaginator(ScanRequest.builder().tableName(resources.tableName())
                        .filterExpression("begins_with(#pk, :order) AND #id = :id")
                        .expressionAttributeNames(Map.of("#pk", OrdersTable.PK, "#id", OrdersTable.ORDER_ID))
                        .expressionAttributeValues(Map.of(":order", AttributeValue.fromS(keyPrefix), ":id", AttributeValue.fromS(id.value())))
                        .build())
                .items().stream().count();
    }
}
