package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.StrictNumberAllocator;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.Sku;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import dev.orderpipeline.domain.model.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * What one order costs in DynamoDB and EventBridge requests, counted on the wire (an SDK interceptor sees every
 * request, retries included). These are the figures quoted in docs/architecture.md; the assertions keep them from
 * growing unnoticed.
 */
class CallsPerOrderIT {
    private static final int ORDERS = 100;
    private static final Currency EUR = Currency.of("EUR");

    private PipelineBackends backends;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private DynamoDbClient dynamoDb;
    private EventBridgeClient eventBridge;

    @BeforeEach
    void start() {
        backends = new PipelineBackends();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                calls.computeIfAbsent(service + "." + operation, k -> new AtomicInteger()).incrementAndGet();
            }
        };
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        dynamoDb = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(backends.dynamo.endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
        eventBridge = EventBridgeClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(backends.eventBridge.endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
    }

    @AfterEach
    void stop() {
        dynamoDb.close();
        eventBridge.close();
        backends.close();
    }

    @Test
    void confirm_inStrictMode_costsOneTransactionPerOrderAndOnePutEventsPerTenOrders() {
        List<PendingOrder> orders = orders();
        ConfirmOrders worker = worker(new StrictNumberAllocator(dynamoDb, PipelineBackends.TABLE));

        runInBatchesOfTen(worker, orders);

        report("strict, first delivery", orders.size());
        assertThat(count("DynamoDb.TransactWriteItems")).isEqualTo(ORDERS);
        assertThat(count("DynamoDb.GetItem")).as("one counter read when the worker starts, then none").isEqualTo(1);
        assertThat(count("EventBridge.PutEvents")).isEqualTo(ORDERS / 10);

        calls.clear();
        runInBatchesOfTen(worker, orders);

        report("strict, every message delivered again", orders.size());
        assertThat(count("DynamoDb.TransactWriteItems")).as("the cancelled transaction returns the stored order").isEqualTo(ORDERS);
        assertThat(count("DynamoDb.GetItem")).isZero();
        assertThat(count("EventBridge.PutEvents")).isEqualTo(ORDERS / 10);
    }

    @Test
    void confirm_inBlockMode_writesTheCounterOncePerBlock() {
        List<PendingOrder> orders = orders();
        ConfirmOrders worker = worker(new BlockNumberAllocator(dynamoDb, PipelineBackends.TABLE, 50));

        runInBatchesOfTen(worker, orders);

        report("block of 50, first delivery", orders.size());
        assertThat(count("DynamoDb.TransactWriteItems")).isEqualTo(ORDERS);
        assertThat(count("DynamoDb.UpdateItem")).as("one reservation per 50 numbers").isEqualTo(ORDERS / 50);
        assertThat(count("DynamoDb.GetItem")).isZero();
        assertThat(count("EventBridge.PutEvents")).isEqualTo(ORDERS / 10);
    }

    private void runInBatchesOfTen(ConfirmOrders worker, List<PendingOrder> orders) {
        for (int i = 0; i < orders.size(); i += 10) {
            List<QueuedOrder> batch = new ArrayList<>();
            for (PendingOrder o : orders.subList(i, i + 10)) {
                batch.add(OrderMessageJson.toQueuedOrder(OrderId.random().value(), OrderMessageJson.write(o)));
            }
            BatchResult result = worker.confirm(batch);
            assertThat(result.failedMessageIds()).isEmpty();
        }
    }

    private ConfirmOrders worker(OrderNumberAllocator allocator) {
        return new ConfirmOrders(new DynamoDbOrderStore(dynamoDb, PipelineBackends.TABLE), allocator,
                new EventBridgeOrderPublisher(eventBridge, PipelineBackends.BUS, PipelineBackends.SOURCE), Clock.systemUTC());
    }

    private int count(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    private void report(String scenario, int orders) {
        StringBuilder line = new StringBuilder("calls per order (" + scenario + ", " + orders + " orders):");
        new TreeMap<>(calls).forEach((op, n) -> line.append(String.format(" %s=%.2f", op, n.get() / (double) orders)));
        System.out.println(line);
    }

    private static List<PendingOrder> orders() {
        List<PendingOrder> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(new PendingOrder(OrderId.random(), Instant.now(), new OrderSubmission(new CustomerId("c-" + i), EUR,
                    List.of(new OrderLine(new Sku("BOOK-1"), 1 + i % 3, new Money(EUR, new BigDecimal("12.50")))),
                    Optional.empty(), Map.of())));
        }
        return orders;
    }
}
