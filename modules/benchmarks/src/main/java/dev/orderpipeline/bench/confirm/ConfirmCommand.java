package dev.orderpipeline.bench.confirm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.StrictNumberAllocator;
import dev.orderpipeline.bench.common.CommonOptions;
import dev.orderpipeline.bench.common.LatencyStats;
import dev.orderpipeline.bench.common.PipelineLogOptions;
import dev.orderpipeline.bench.common.ProcessMetrics;
import dev.orderpipeline.bench.common.ResultsLog;
import dev.orderpipeline.bench.common.SampleOrders;
import dev.orderpipeline.bench.common.Stats;
import dev.orderpipeline.bench.common.SubscribedBus;
import dev.orderpipeline.bench.common.TextTable;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.local.LocalPipeline;
import dev.orderpipeline.local.LocalSettings;
import dev.orderpipeline.local.PipelineResources;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bench confirm}: the confirmation use case alone, with the production adapters, for every combination of
 * numbering mode, batch size and worker count. Each worker is one function instance (its own clients and allocator)
 * taking pre-built batches from a shared list, as concurrent Lambda invocations take batches from the queue.
 */
@Command(name = "confirm", mixinStandardHelpOptions = true,
        description = "Confirmation throughput: ConfirmOrders with DynamoDbOrderStore, Strict/BlockNumberAllocator and "
                + "EventBridgeOrderPublisher against the in-repo endpoints, per mode × batch size × workers; counts "
                + "lost counter races (ClaimStale).")
public final class ConfirmCommand implements Callable<Integer> {
    @Option(names = "--mode", split = ",", description = "strict and/or block (default: ${DEFAULT-VALUE}).")
    List<String> modes = List.of("strict", "block");

    @Option(names = "--batch-size", split = ",", description = "Messages per batch, 1..10 (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes = List.of(10);

    @Option(names = "--workers", split = ",", description = "Concurrent function instances (default: ${DEFAULT-VALUE}).")
    List<Integer> workers = List.of(1, 2, 4);

    @Option(names = "--orders", description = "Orders per cell (default: ${DEFAULT-VALUE}).")
    int orders = 400;

    @Option(names = "--warmup-orders", description = "Unmeasured orders per mode before the first cell (default: ${DEFAULT-VALUE}).")
    int warmupOrders = 300;

    @Option(names = "--block-size", description = "Numbers per reservation in block mode (default: ${DEFAULT-VALUE}).")
    int blockSize = 100;

    @Option(names = "--lines", description = "Lines per order (default: ${DEFAULT-VALUE}).")
    int lines = 3;

    @Option(names = "--via-front-door", description = "Reach the endpoints through the local runtime's single AWS front door (an extra HTTP hop, the way "
            + "tools reach them); default: directly, as the functions call them.")
    boolean viaFrontDoor;

    @Mixin
    PipelineLogOptions pipelineLogs;
    @Mixin
    CommonOptions common;

    /** Where the workers' clients reach the endpoints, the table and bus they confirm into, the bus's queue. */
    private record Backends(AwsClients clients, String table, SubscribedBus bus, SqsClient sqs) {
    }

    record Cell(String mode, int batchSize, int workers, int orders, double ordersPerSecond, long claims, long stale,
                long contended, long numberTaken, long confirmed, long failed, LatencyStats.Summary batchMs, double cores) {
    }

    @Override
    public Integer call() throws Exception {
        pipelineLogs.apply();
        for (String m : modes) {
            if (!m.equals("strict") && !m.equals("block")) {
                throw new IllegalArgumentException("--mode takes strict and/or block");
            }
        }
        ResultsLog results = common.resultsLog();
        List<Cell> cells = new ArrayList<>();
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests().withPollers(1));
             SqsClient sqs = pipeline.functionClients().build(SqsClient.builder());
             EventBridgeClient eventBridge = pipeline.functionClients().build(EventBridgeClient.builder())) {
            SubscribedBus bus = SubscribedBus.create(sqs, eventBridge, "bench-confirm", PipelineResources.EVENT_SOURCE);
            // each emulator on its own endpoint, as the functions call them; or the single front door tools use
            Backends backends = new Backends(viaFrontDoor ? pipeline.clients() : pipeline.functionClients(),
                    pipeline.resources().tableName(), bus, sqs);
            System.out.printf("confirm: %d orders per cell (%d-line orders), modes %s, batch sizes %s, workers %s, block size %d; %s%n",
                    orders, lines, modes, batchSizes, workers, blockSize, viaFrontDoor
                            ? "through the local runtime's front door (" + pipeline.awsEndpoint() + ")"
                            : "direct to the emulators, as the functions call them");
            for (String mode : modes) {
                if (warmupOrders > 0) {
                    run(backends, mode, 10, 2, warmupOrders);
                }
            }
            for (String mode : modes) {
                for (int batch : batchSizes) {
                    for (int w : workers) {
                        Cell c = run(backends, mode, batch, w, orders);
                        cells.add(c);
                        System.out.printf("  %-6s batch %2d, %d worker(s): %.0f orders/s, %d lost races%n", mode, batch, w,
                                c.ordersPerSecond(), c.stale());
                        record(results, c);
                    }
                }
            }
        }
        print(cells);
        System.out.println("appended to " + results.file());
        return 0;
    }

    private Cell run(Backends backends, String mode, int batchSize, int workerCount, int count) throws InterruptedException {
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("--batch-size must be 1..10");
        }
        ConcurrentLinkedQueue<List<QueuedOrder>> batches = new ConcurrentLinkedQueue<>();
        List<QueuedOrder> current = new ArrayList<>(batchSize);
        for (int i = 0; i < count; i++) {
            PendingOrder order = new PendingOrder(OrderId.random(), Instant.now(),
                    OrderSubmissionJson.read(SampleOrders.body(i, lines).getBytes(StandardCharsets.UTF_8)));
            current.add(OrderMessageJson.toQueuedOrder(UUID.randomUUID().toString(), OrderMessageJson.write(order)));
            if (current.size() == batchSize) {
                batches.add(current);
                current = new ArrayList<>(batchSize);
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        // build every instance before the clock starts: this measures warm instances, not cold starts
        List<ConfirmOrders> instances = new ArrayList<>();
        List<CountingAllocator> allocators = new ArrayList<>();
        List<AutoCloseable> clients = new ArrayList<>();
        for (int w = 0; w < workerCount; w++) {
            DynamoDbClient dynamoDb = backends.clients().build(DynamoDbClient.builder());
            EventBridgeClient eventBridge = backends.clients().build(EventBridgeClient.builder());
            clients.add(dynamoDb);
            clients.add(eventBridge);
            OrderNumberAllocator allocator = mode.equals("block")
                    ? new BlockNumberAllocator(dynamoDb, backends.table(), blockSize)
                    : new StrictNumberAllocator(dynamoDb, backends.table());
            CountingAllocator counting = new CountingAllocator(allocator);
            allocators.add(counting);
            instances.add(new ConfirmOrders(new DynamoDbOrderStore(dynamoDb, backends.table()), counting,
                    new EventBridgeOrderPublisher(eventBridge, backends.bus().name(), PipelineResources.EVENT_SOURCE),
                    Clock.systemUTC()));
        }
        LatencyStats batchLatency = new LatencyStats();
        AtomicLong confirmed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(workerCount);
        for (int w = 0; w < workerCount; w++) {
            ConfirmOrders instance = instances.get(w);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    List<QueuedOrder> batch;
                    while ((batch = batches.poll()) != null) {
                        long t0 = System.nanoTime();
                        BatchResult result = instance.confirm(batch);
                        batchLatency.recordNanos(System.nanoTime() - t0);
                        confirmed.addAndGet(result.confirmed() + result.duplicateDeliveries());
                        failed.addAndGet(result.failedMessageIds().size());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "bench-confirm-" + w);
            t.start();
        }
        ProcessMetrics.Sample before = ProcessMetrics.sample(n -> false);
        long start = System.nanoTime();
        go.countDown();
        done.await();
        long elapsed = System.nanoTime() - start;
        ProcessMetrics.Sample after = ProcessMetrics.sample(n -> false);
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                // ignore
            }
        }
        // the subscriber queue fills with one message per event: emptied between cells so memory stays flat
        backends.sqs().purgeQueue(b -> b.queueUrl(backends.bus().queueUrl()));
        long claims = 0, stale = 0, contended = 0, taken = 0;
        for (CountingAllocator a : allocators) {
            claims += a.claims.get();
            stale += a.stale.get();
            contended += a.contended.get();
            taken += a.numberTaken.get();
        }
        return new Cell(mode, batchSize, workerCount, count, Stats.perSecond(count, elapsed), claims, stale, contended, taken,
                confirmed.get(), failed.get(), batchLatency.summary(), after.coresSince(before));
    }

    private void record(ResultsLog results, Cell c) {
        ObjectNode rec = results.record("confirm");
        rec.put("mode", c.mode());
        rec.put("batchSize", c.batchSize());
        rec.put("workers", c.workers());
        rec.put("orders", c.orders());
        rec.put("ordersPerSecond", c.ordersPerSecond());
        rec.put("claims", c.claims());
        rec.put("claimStale", c.stale());
        rec.put("contended", c.contended());
        rec.put("numberTaken", c.numberTaken());
        rec.put("confirmed", c.confirmed());
        rec.put("failed", c.failed());
        rec.put("batchP50Ms", c.batchMs().p50());
        rec.put("batchP99Ms", c.batchMs().p99());
        rec.put("batchMaxMs", c.batchMs().max());
        rec.put("cpuCores", c.cores());
        rec.put("blockSize", blockSize);
        rec.put("lines", lines);
        rec.put("viaFrontDoor", viaFrontDoor);
        rec.put("pipelineLogs", pipelineLogs.toString());
        results.append(rec);
    }

    private static void print(List<Cell> cells) {
        System.out.println();
        TextTable t = new TextTable("mode", "batch", "workers", "orders", "orders/s", "x vs 1 worker", "lost races",
                "per order", "claims/order", "failed", "batch p50 ms", "batch p99 ms", "CPU cores");
        Map<String, Double> single = new HashMap<>();
        for (Cell c : cells) {
            if (c.workers() == 1) {
                single.put(c.mode() + "/" + c.batchSize(), c.ordersPerSecond());
            }
        }
        for (Cell c : cells) {
            Double one = single.get(c.mode() + "/" + c.batchSize());
            t.row(c.mode(), c.batchSize(), c.workers(), c.orders(), c.ordersPerSecond(),
                    one == null ? Double.NaN : c.ordersPerSecond() / one, c.stale(), (double) c.stale() / c.orders(),
                    (double) c.claims() / c.orders(), c.failed(), c.batchMs().p50(), c.batchMs().p99(), c.cores());
        }
        t.print(System.out);
        System.out.println(String.format(Locale.ROOT,
                "lost races = ClaimStale outcomes (strict mode: another worker advanced the counter first; each costs a "
                        + "cancelled TransactWriteItems, retried at once with the counter it returned)."));
    }
}
