package dev.orderpipeline.local;

import static dev.orderpipeline.local.PipelineClient.keysStartingWith;
import static dev.orderpipeline.local.PipelineClient.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.local.TestOrders.TestOrder;
import java.net.http.HttpResponse;
import dev.orderpipeline.history.OrderHistoryTable;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The whole pipeline over HTTP, each test on its own freshly started {@link LocalPipeline}: intake behind the local
 * HTTP API, the order queue, confirmation on the SQS event source, the table, and OrderConfirmed on the subscriber
 * queue through the EventBridge rule.
 */
class LocalPipelineIT {
    private static final Duration CONFIRMATION = Duration.ofSeconds(20);

    @Test
    void submitOrders_whenFiftyValidOrders_thenAllConfirmedWithNumbersOneToFiftyAndOneValidEventEach() {
        // forTests()' 2 s visibility timeout would let a batch that is merely slow (a loaded machine) be delivered again
        // and publish a legitimate duplicate; with a realistic timeout, "no fault, no duplicate" is a fair claim
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests().withVisibilityTimeout(30));
             PipelineClient client = new PipelineClient(pipeline)) {
            List<TestOrder> orders = TestOrders.varied(50, 0);

            List<String> ids = client.submitAllAccepted(orders.stream().map(TestOrder::json).toList());
            Map<String, JsonNode> confirmed = client.awaitConfirmed(ids, CONFIRMATION);

            assertThat(new HashSet<>(ids)).as("distinct order ids").hasSize(50);
            List<Long> numbers = new ArrayList<>();
            for (int i = 0; i < orders.size(); i++) {
                TestOrder sent = orders.get(i);
                JsonNode got = confirmed.get(ids.get(i));
                numbers.add(OrderNumber.parse(got.get("orderNumber").asText()).sequence());
                assertThat(got.get("customerId").asText()).as("customerId of order %d", i).isEqualTo(sent.customerId());
                assertThat(got.get("currency").asText()).as("currency of order %d", i).isEqualTo(sent.currency());
                assertThat(got.get("total").asText()).as("total of order %d (%s)", i, sent.currency())
                        .isEqualTo(sent.expectedTotal());
                assertThat(got.get("lines")).as("lines of order %d", i).hasSize(sent.lines().size());
                assertThat(got.path("shippingAddress").path("country").asText(null))
                        .as("shipping address country of order %d", i).isEqualTo(sent.addressCountry().orElse(null));
                assertThat(got.has("attributes")).as("order %d has attributes", i).isEqualTo(!sent.attributes().isEmpty());
            }
            assertThat(numbers).as("strict mode numbers").containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, 50).boxed().toList());

            client.awaitOrdersQueueDrained(Duration.ofSeconds(10));
            Map<String, List<JsonNode>> events = client.drainSubscriber(50, Duration.ofSeconds(10));

            assertThat(events.keySet()).as("orders with an OrderConfirmed").containsExactlyInAnyOrderElementsOf(ids);
            int received = events.values().stream().mapToInt(List::size).sum();
            System.out.printf("subscriber queue: %d OrderConfirmed for %d orders (%d duplicates)%n",
                    received, events.size(), received - events.size());
            for (String id : ids) {
                Set<JsonNode> details = events.get(id).stream().map(e -> e.get("detail")).collect(Collectors.toSet());
                assertThat(details).as("distinct OrderConfirmed details for order %s", id).hasSize(1);
                JsonNode envelope = events.get(id).get(0);
                OrderConfirmedContract.assertValidEvent(envelope, pipeline.region());
                JsonNode detail = envelope.get("detail");
                assertThat(detail.get("orderNumber").asText()).as("event orderNumber of %s", id)
                        .isEqualTo(confirmed.get(id).get("orderNumber").asText());
                assertThat(detail.get("total").asText()).as("event total of %s", id)
                        .isEqualTo(confirmed.get(id).get("total").asText());
                assertThat(detail.has("shippingAddress") || detail.has("attributes"))
                        .as("personal data on the event of %s", id).isFalse();
            }
            assertThat(received).as("OrderConfirmed messages with no fault injected (one per order)").isEqualTo(50);

            // the example subscriber Lambda, on its own queue: every confirmed order in its customer's history
            Map<String, Set<String>> expectedHistory = new java.util.HashMap<>();
            for (String id : ids) {
                expectedHistory.computeIfAbsent(confirmed.get(id).get("customerId").asText(), c -> new HashSet<>())
                        .add(confirmed.get(id).get("orderNumber").asText());
            }
            try (DynamoDbClient dynamoDb = pipeline.clients().build(DynamoDbClient.builder())) {
                String table = pipeline.historyResources().tableName();
                org.awaitility.Awaitility.await("every confirmed order in its customer's history")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                            for (Map.Entry<String, Set<String>> customer : expectedHistory.entrySet()) {
                                var item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                                        OrderHistoryTable.PK, AttributeValue.fromS(OrderHistoryTable.CUSTOMER_PREFIX + customer.getKey())))).item();
                                assertThat(item.containsKey("orderNumbers") ? new HashSet<>(item.get("orderNumbers").ss()) : Set.of())
                                        .as("order history of customer %s", customer.getKey())
                                        .isEqualTo(customer.getValue());
                            }
                        });
            }
            assertThat(client.depth(pipeline.historyResources().deadLetterQueueUrl()).total()).as("history DLQ depth").isZero();
            assertThat(client.depth(pipeline.resources().deadLetterQueueUrl()).total()).as("dead-letter queue depth").isZero();
            assertThat(pipeline.eventBridgeEmulator().orElseThrow().deliveryFailures()).as("EventBridge delivery failures").isZero();
        }
    }

    @Test
    void start_whenExampleSubscriberOff_thenOrdersStillConfirmedAndPublishedWithoutHistoryResources() {
        // what bench e2e runs: the pipeline without the template's example subscriber; it must lose nothing else
        LocalSettings settings = LocalSettings.forTests().withVisibilityTimeout(30).withExampleSubscriber(false);
        try (LocalPipeline pipeline = LocalPipeline.start(settings);
             PipelineClient client = new PipelineClient(pipeline);
             DynamoDbClient dynamoDb = pipeline.clients().build(DynamoDbClient.builder());
             SqsClient sqs = pipeline.clients().build(SqsClient.builder())) {
            List<String> ids = client.submitAllAccepted(TestOrders.varied(5, 0).stream().map(TestOrder::json).toList());
            client.awaitConfirmed(ids, CONFIRMATION);

            assertThat(client.drainSubscriber(5, Duration.ofSeconds(10)).keySet()).as("orders with an OrderConfirmed")
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(pipeline.historyResources()).as("example subscriber resources").isNull();
            String historyTable = PipelineResources.physicalName(settings.stack(), PipelineResources.HISTORY_TABLE);
            assertThatThrownBy(() -> dynamoDb.describeTable(b -> b.tableName(historyTable))).as("history table")
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThat(sqs.listQueues().queueUrls()).as("queues").noneMatch(url -> url.endsWith(
                    PipelineResources.physicalName(settings.stack(), PipelineResources.HISTORY_QUEUE)));
            assertThat(pipeline.eventBridgeEmulator().orElseThrow().deliveryFailures()).as("EventBridge delivery failures").isZero();
        }
    }

    @Test
    void submitOrder_whenSameIdempotencyKeySentFiveTimesConcurrently_thenOneOrderOneNumberAndReuseIsRejected() {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests());
             PipelineClient client = new PipelineClient(pipeline)) {
            TestOrder order = TestOrders.varied(3);
            String key = "checkout-" + UUID.randomUUID();

            List<CompletableFuture<HttpResponse<String>>> posts = IntStream.range(0, 5)
                    .mapToObj(i -> client.submitAsync(order.json(), key)).toList();
            Set<String> ids = posts.stream().map(f -> PipelineClient.acceptedOrderId(f.join())).collect(Collectors.toSet());

            String expectedId = OrderId.fromIdempotencyKey(new CustomerId(order.customerId()), new IdempotencyKey(key)).value();
            assertThat(ids).as("order ids answered to five POSTs with one Idempotency-Key").containsExactly(expectedId);
            JsonNode confirmed = client.awaitConfirmed(ids, CONFIRMATION).get(expectedId);
            client.awaitOrdersQueueDrained(Duration.ofSeconds(10));

            List<Map<String, AttributeValue>> items = client.scanTable();
            assertThat(keysStartingWith(items, "ORDER#")).as("stored orders").containsExactly("ORDER#" + expectedId);
            assertThat(keysStartingWith(items, "NUMBER#")).as("number guards")
                    .containsExactly("NUMBER#" + OrderNumber.parse(confirmed.get("orderNumber").asText()).sequence());
            assertThat(items.stream().filter(i -> i.get("pk").s().startsWith("NUMBER#")).map(i -> i.get("orderId").s()))
                    .as("order id on the number guard").containsExactly(expectedId);
            assertThat(PipelineClient.counter(items)).as("numbers handed out").isEqualTo(1);

            // every copy of the event is the same event: a subscriber deduplicates on eventId
            Map<String, List<JsonNode>> events = client.drainSubscriber(1, Duration.ofSeconds(10));
            assertThat(events.keySet()).containsExactly(expectedId);
            assertThat(events.get(expectedId).stream().map(e -> e.get("detail")).distinct())
                    .as("distinct OrderConfirmed details among %d copies", events.get(expectedId).size()).hasSize(1);
            System.out.printf("subscriber queue: %d copies of one OrderConfirmed for 5 POSTs%n", events.get(expectedId).size());

            HttpResponse<String> replay = client.submit(order.json(), key);
            assertThat(PipelineClient.acceptedOrderId(replay)).as("order id of a replay after confirmation").isEqualTo(expectedId);

            HttpResponse<String> reuse = client.submit(order.withOneMoreUnit().json(), key);
            assertThat(reuse.statusCode()).as("status of a reused key with a different body (%s)", reuse.body()).isEqualTo(422);
            assertThat(reuse.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(parse(reuse.body()).get("type").asText()).isEqualTo("urn:order-pipeline:problem:idempotency-key-reused");

            client.awaitOrdersQueueDrained(Duration.ofSeconds(10));
            List<Map<String, AttributeValue>> after = client.scanTable();
            assertThat(keysStartingWith(after, "ORDER#")).as("stored orders after replay and reuse").hasSize(1);
            assertThat(PipelineClient.counter(after)).as("numbers handed out after replay and reuse").isEqualTo(1);
        }
    }

    @Test
    void confirmation_whenMalformedMessageOnOrderQueue_thenItLandsInDeadLetterQueueIntactAndValidOrdersConfirm() {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests());
             PipelineClient client = new PipelineClient(pipeline)) {
            Provisioned r = pipeline.resources();
            String poison = "{\"messageVersion\":1,\"orderId\":\"not-an-order\",\"order\":";
            String poisonId = client.sqs.sendMessage(b -> b.queueUrl(r.ordersQueueUrl()).messageBody(poison)).messageId();

            List<String> ids = client.submitAllAccepted(TestOrders.varied(5, 100).stream().map(TestOrder::json).toList());
            client.awaitConfirmed(ids, CONFIRMATION);

            List<Message> deadLetters = new ArrayList<>();
            await("the malformed message arrives on the dead-letter queue after maxReceiveCount receives")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> {
                        deadLetters.addAll(client.sqs.receiveMessage(b -> b.queueUrl(r.deadLetterQueueUrl())
                                .maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(60)
                                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages());
                        assertThat(deadLetters).as("messages on the dead-letter queue").isNotEmpty();
                    });
            client.awaitOrdersQueueDrained(Duration.ofSeconds(10));

            assertThat(deadLetters).as("dead-lettered messages").hasSize(1);
            Message dead = deadLetters.get(0);
            assertThat(dead.body()).as("dead-lettered body").isEqualTo(poison);
            assertThat(dead.messageId()).as("dead-lettered message id").isEqualTo(poisonId);
            assertThat(Integer.parseInt(dead.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                    .as("ApproximateReceiveCount of the dead-lettered message")
                    .isGreaterThanOrEqualTo(PipelineResources.MAX_RECEIVE_COUNT);
            assertThat(client.depth(r.deadLetterQueueUrl())).as("dead-letter queue: only the one message we hold")
                    .isEqualTo(new PipelineClient.Depth(0, 1));
            assertThat(keysStartingWith(client.scanTable(), "ORDER#")).as("stored orders")
                    .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "ORDER#" + id).toList());
        }
    }

    @Test
    void confirmation_whenBlockNumberingWithThreePollers_thenThirtyOrdersConfirmedWithUniqueNumbers() {
        LocalSettings settings = LocalSettings.forTests().withNumbering("block", 5).withPollers(3);
        try (LocalPipeline pipeline = LocalPipeline.start(settings);
             PipelineClient client = new PipelineClient(pipeline)) {
            List<String> ids = client.submitAllAccepted(TestOrders.varied(30, 200).stream().map(TestOrder::json).toList());
            Map<String, JsonNode> confirmed = client.awaitConfirmed(ids, CONFIRMATION);

            List<Long> numbers = confirmed.values().stream()
                    .map(o -> OrderNumber.parse(o.get("orderNumber").asText()).sequence()).toList();
            assertThat(numbers).as("block mode numbers").doesNotHaveDuplicates().hasSize(30).allMatch(n -> n >= 1);
            List<Map<String, AttributeValue>> items = client.scanTable();
            long counter = PipelineClient.counter(items);
            assertThat(counter % 5).as("counter %d moves in blocks of 5", counter).isZero();
            assertThat(numbers).as("numbers within the reserved range 1..%d", counter).allMatch(n -> n <= counter);
            // block mode stores an order with one conditional put: uniqueness is read from the order items themselves
            List<Long> stored = items.stream().filter(i -> i.get("pk").s().startsWith("ORDER#"))
                    .map(i -> Long.parseLong(i.get("orderNumber").n())).toList();
            assertThat(stored).as("numbers on the stored order items").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(numbers);
            assertThat(keysStartingWith(items, "NUMBER#")).as("number guards (block mode writes none)").isEmpty();
            System.out.printf("block mode, 3 pollers: numbers %s, counter %d%n",
                    numbers.stream().sorted().toList(), counter);
        }
    }
}
