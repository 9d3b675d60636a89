package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderpipeline.aws.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a test does with a running pipeline: the HTTP API as a client sees it (java.net.http), and the queues and
 * table through SDK clients against the pipeline's AWS endpoint. Long polls stay at 1 s, under the 3 s per-attempt
 * timeout of the project's client factory.
 */
final class PipelineClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Provisioned resources;
    private final URI api;
    private final HttpClient http;
    final SqsClient sqs;
    final DynamoDbClient dynamoDb;

    PipelineClient(LocalPipeline pipeline) {
        this(pipeline.httpApiUrl(), pipeline.clients(), pipeline.resources());
    }

    /** For a pipeline in another process, known by its endpoints file. */
    PipelineClient(URI api, AwsClients clients, Provisioned resources) {
        this.resources = resources;
        this.api = api;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        this.sqs = clients.build(SqsClient.builder());
        this.dynamoDb = clients.build(DynamoDbClient.builder());
    }

    Provisioned resources() {
        return resources;
    }

    // ---- HTTP API ----

    CompletableFuture<HttpResponse<String>> submitAsync(String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve("/orders"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> submit(String body, String idempotencyKey) {
        return submitAsync(body, idempotencyKey).join();
    }

    HttpResponse<String> get(String orderId) {
        try {
            return http.send(HttpRequest.newBuilder(api.resolve("/orders/" + orderId)).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Submits all bodies at once and checks that every one was accepted: 202, a PENDING body, and a Location that
     * names the returned order id. Returns the order ids in submission order.
     */
    List<String> submitAllAccepted(List<String> bodies) {
        List<CompletableFuture<HttpResponse<String>>> futures = bodies.stream().map(b -> submitAsync(b, null)).toList();
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            ids.add(acceptedOrderId(f.join()));
        }
        return ids;
    }

    /** The order id of a 202 answer, after checking the answer is a well-formed acceptance. */
    static String acceptedOrderId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("POST /orders status (body: %s)", response.body()).isEqualTo(202);
        JsonNode body = parse(response.body());
        String orderId = body.path("orderId").asText();
        assertThat(body.path("status").asText()).as("status of an accepted order").isEqualTo("PENDING");
        assertThat(response.headers().firstValue("Location")).as("Location of an accepted order")
                .contains("/orders/" + orderId);
        return orderId;
    }

    /**
     * Polls GET /orders/{id} until every id answers 200 CONFIRMED; returns the bodies by id. Fails naming the
     * orders that never got there and the status each answered last.
     */
    Map<String, JsonNode> awaitConfirmed(Collection<String> orderIds, Duration within) {
        Map<String, JsonNode> confirmed = new ConcurrentHashMap<>();
        Map<String, String> lastAnswer = new ConcurrentHashMap<>();
        await("every accepted order answers 200 CONFIRMED on GET /orders/{id}")
                .atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    for (String id : orderIds) {
                        if (confirmed.containsKey(id)) {
                            continue;
                        }
                        HttpResponse<String> r = get(id);
                        if (r.statusCode() == 200 && "CONFIRMED".equals(parse(r.body()).path("status").asText())) {
                            confirmed.put(id, parse(r.body()));
                            lastAnswer.remove(id);
                        } else {
                            lastAnswer.put(id, Integer.toString(r.statusCode()));
                        }
                    }
                    assertThat(lastAnswer)
                            .as("orders never answered 200 CONFIRMED (order id -> last status) within %s", within)
                            .isEmpty();
                });
        Map<String, JsonNode> inOrder = new LinkedHashMap<>();
        orderIds.forEach(id -> inOrder.put(id, confirmed.get(id)));
        return inOrder;
    }

    // ---- queues ----

    /** Visible and in-flight (received, not yet deleted) messages of a queue, as SQS approximates them. */
    record Depth(int visible, int inFlight) {
        int total() {
            return visible + inFlight;
        }
    }

    Depth depth(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return new Depth(Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
    }

    /** Waits until the order queue holds nothing, visible or in flight: every message was handled and deleted. */
    void awaitOrdersQueueDrained(Duration within) {
        await("the order queue is empty (every message handled and deleted)")
                .atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(depth(resources().ordersQueueUrl()))
                        .as("order queue depth never reached zero within %s", within)
                        .isEqualTo(new Depth(0, 0)));
    }

    /** One receive of up to ten messages with a 1 s long poll; the messages are deleted. */
    List<Message> receiveAndDelete(String queueUrl) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        if (!messages.isEmpty()) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
        return messages;
    }

    /**
     * Drains the subscriber queue until it has delivered events for {@code distinctOrders} orders, then keeps
     * receiving until a receive comes back empty, so that late copies are counted too. Returns every envelope
     * received, grouped by the detail's orderId.
     */
    Map<String, List<JsonNode>> drainSubscriber(int distinctOrders, Duration within) {
        Map<String, List<JsonNode>> byOrder = new ConcurrentHashMap<>();
        String queue = resources().subscriberQueueUrl();
        await("the subscriber queue delivers an OrderConfirmed for every order")
                .atMost(within)
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    receiveAndDelete(queue).forEach(m -> add(byOrder, parse(m.body())));
                    assertThat(byOrder.keySet())
                            .as("orders with an OrderConfirmed on the subscriber queue within %s", within)
                            .hasSizeGreaterThanOrEqualTo(distinctOrders);
                });
        List<Message> more;
        do {
            more = receiveAndDelete(queue);
            more.forEach(m -> add(byOrder, parse(m.body())));
        } while (!more.isEmpty());
        return byOrder;
    }

    private static void add(Map<String, List<JsonNode>> byOrder, JsonNode envelope) {
        byOrder.computeIfAbsent(envelope.path("detail").path("orderId").asText(), k -> new ArrayList<>()).add(envelope);
    }

    // ---- table ----

    List<Map<String, AttributeValue>> scanTable() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(resources().tableName()).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    /** Partition keys of the table's items that start with the prefix ({@code ORDER#}, {@code NUMBER#}). */
    static Set<String> keysStartingWith(List<Map<String, AttributeValue>> items, String prefix) {
        return items.stream().map(i -> i.get("pk").s()).filter(pk -> pk.startsWith(prefix))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The counter item's {@code last} value: the highest number handed out (strict) or reserved (block). */
    static long counter(List<Map<String, AttributeValue>> items) {
        return items.stream().filter(i -> i.get("pk").s().equals("COUNTER#order-number"))
                .mapToLong(i -> Long.parseLong(i.get("last").n())).findFirst().orElse(0);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        sqs.close();
        dynamoDb.close();
    }
}
