package dev.orderpipeline.bench.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.bench.common.CommonOptions;
import dev.orderpipeline.bench.common.DurationConverter;
import dev.orderpipeline.bench.common.LatencyStats;
import dev.orderpipeline.bench.common.ProcessMetrics;
import dev.orderpipeline.bench.common.ResultsLog;
import dev.orderpipeline.bench.common.Stats;
import dev.orderpipeline.bench.common.TextTable;
import dev.orderpipeline.local.LocalPipeline;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bench e2e}: the whole local runtime in this JVM under an open-loop load of valid orders, rate by rate, until
 * it saturates; the SDK-only baseline first, for the ratio.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "End to end: POST /orders at fixed arrival rates (open loop) against the local runtime started in "
                + "this JVM, OrderConfirmed read from the subscriber queue; stops at saturation. Prints the SDK-only "
                + "baseline first and the pipeline's best sustained rate as a ratio to it.")
public final class E2eCommand implements Callable<Integer> {
    @Option(names = "--rates", split = ",", description = "Offered rates in orders/s, in order (default: ${DEFAULT-VALUE}).")
    List<Integer> rates = List.of(50, 100, 200);

    @Option(names = "--duration", converter = DurationConverter.class, description = "Measured window per rate (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(3);

    @Option(names = "--lead-in", converter = DurationConverter.class,
            description = "Load sent before each window opens, so queues are at their steady state (default: ${DEFAULT-VALUE}).")
    Duration leadIn = Duration.ofSeconds(1);

    @Option(names = "--warmup", converter = DurationConverter.class,
            description = "Unmeasured load at the first rate before the first window, for the JIT (default: ${DEFAULT-VALUE}).")
    Duration warmup = Duration.ofSeconds(2);

    @Option(names = "--warmup-rate", description = "Offered rate of the warm-up in orders/s; 0 = the first of --rates. "
            + "The JIT keeps compiling for thousands of orders, so a warm-up of a few thousand orders below saturation "
            + "is what makes the first window steady (default: ${DEFAULT-VALUE}).")
    int warmupRate = 0;

    @Option(names = "--drain-timeout", converter = DurationConverter.class,
            description = "After a window, how long to wait for the remaining OrderConfirmed events (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout = Duration.ofSeconds(10);

    @Option(names = "--request-timeout", converter = DurationConverter.class, description = "Per POST (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout = Duration.ofSeconds(10);

    @Option(names = "--max-in-flight", description = "POSTs outstanding at most; beyond it sends are dropped and counted as errors (default: ${DEFAULT-VALUE}).")
    int maxInFlight = 5000;

    @Option(names = "--saturation", description = "Saturated when confirmed/s falls below this fraction of the offered rate (default: ${DEFAULT-VALUE}).")
    double saturationFraction = 0.9;

    @Option(names = "--p99-limit", converter = DurationConverter.class,
            description = "Saturated when the POST→OrderConfirmed p99 exceeds this (default: ${DEFAULT-VALUE}).")
    Duration p99Limit = Duration.ofSeconds(2);

    @Option(names = "--no-baseline", description = "Skip the SDK-only baseline.")
    boolean noBaseline;

    @Option(names = "--keep-going", description = "Run every rate even after saturation.")
    boolean keepGoing;

    @Mixin
    PipelineOptions pipeline;
    @Mixin
    LoadOptions load;
    @Mixin
    BaselineOptions baseline;
    @Mixin
    CommonOptions common;

    record Row(int rate, double acceptedPerSecond, double confirmedPerSecond, LatencyStats.Summary post,
               LatencyStats.Summary endToEnd, long sent, long accepted, long confirmed, long non202, long timeouts,
               long ioErrors, long dropped, long unconfirmed, double cores, double generatorCores, double heapMib,
               double rssMib, double maxSenderLagMs, double logBytesPerOrder, String verdict) {
        boolean saturated() {
            return !verdict.equals("ok");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ResultsLog results = common.resultsLog();
        out.printf("e2e: rates %s/s, window %s s (+%s s lead-in), warm-up %s s at %s/s, %d-line orders, idempotency keys %s; %s%n",
                rates, secs(duration), secs(leadIn), secs(warmup),
                warmupRate > 0 ? Integer.toString(warmupRate) : rates.isEmpty() ? "-" : rates.get(0).toString(), load.lines, load.idempotencyKeys ? "on" : "off",
                pipeline.describe());
        long startNanos = System.nanoTime();
        try (LocalPipeline running = pipeline.start()) {
            out.printf("local runtime started in %d ms (%d cores)%n%n", (System.nanoTime() - startNanos) / 1_000_000,
                    ProcessMetrics.cores());
            Baseline.Result base = null;

            OrderTracker tracker = new OrderTracker();
            SqsClient subscriberSqs = running.functionClients().build(SqsClient.builder());
            List<Row> rows = new ArrayList<>();
            try (SubscriberDrain drain = new SubscriberDrain(subscriberSqs, running.resources().subscriberQueueUrl(),
                    load.consumers, tracker::event);
                 LoadGenerator generator = new LoadGenerator(running.httpApiUrl(), tracker, load.senders, load.lines,
                         load.idempotencyKeys, requestTimeout, maxInFlight)) {
                if (!warmup.isZero() && !rates.isEmpty()) {
                    int rate = warmupRate > 0 ? warmupRate : rates.get(0);
                    out.printf("warming up at %d/s for %s s …%n", rate, secs(warmup));
                    // a step of its own, never reported: the first window opens only once the warm-up's orders are
                    // all confirmed, so no backlog of it is measured as the first rate's latency
                    OrderTracker.Step warm = new OrderTracker.Step();
                    generator.run(rate, Duration.ZERO, warmup, warm, () -> { }, () -> { });
                    long deadline = System.nanoTime() + drainTimeout.plus(warmup).toNanos();
                    while (warm.confirmed.get() < warm.accepted.get() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    out.printf("warm-up: %d orders accepted, %d confirmed%n", warm.accepted.get(), warm.confirmed.get());
                }
                // after the warm-up, so that the floor runs on the same warm JIT and emulators as the windows; run
                // first, it measured a JVM still compiling and came out below the pipeline it is the floor of
                if (!noBaseline) {
                    base = baseline.run(running, pipeline, load, results, out);
                }
                for (int rate : rates) {
                    Row row = step(generator, tracker, rate);
                    rows.add(row);
                    out.printf("  %4d/s offered: accepted %.1f/s, confirmed %.1f/s, POST p99 %.1f ms, e2e p99 %.1f ms, errors %d → %s%n",
                            rate, row.acceptedPerSecond(), row.confirmedPerSecond(), row.post().p99(), row.endToEnd().p99(),
                            row.non202() + row.timeouts() + row.ioErrors() + row.dropped(), row.verdict());
                    record(results, row, base);
                    if (row.saturated() && !keepGoing) {
                        break;
                    }
                }
                if (tracker.eventsWithoutOrder() > 0 || drain.errors() > 0) {
                    out.printf("note: %d event(s) matched no accepted order, %d subscriber receive error(s), %d duplicate event(s)%n",
                            tracker.eventsWithoutOrder(), drain.errors(), tracker.duplicates());
                }
            }
            print(out, rows, base, results);
        }
        out.println("appended to " + results.file());
        return 0;
    }

    private Row step(LoadGenerator generator, OrderTracker tracker, int rate) throws InterruptedException {
        OrderTracker.Step step = new OrderTracker.Step();
        long[] events = new long[2];
        ProcessMetrics.Sample[] cpu = new ProcessMetrics.Sample[2];
        long logBefore = logSize();
        LoadGenerator.Outcome o = generator.run(rate, leadIn, duration, step,
                () -> {
                    events[0] = tracker.events();
                    cpu[0] = ProcessMetrics.sample(LoadGenerator::isGeneratorThread);
                },
                () -> {
                    events[1] = tracker.events();
                    cpu[1] = ProcessMetrics.sample(LoadGenerator::isGeneratorThread);
                });
        long window = o.windowEndNanos - o.windowStartNanos;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (step.confirmed.get() < step.accepted.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double logBytesPerOrder = pipeline.logsAtInfo() && o.acceptedAll.get() > 0
                ? (double) (logSize() - logBefore) / o.acceptedAll.get() : Double.NaN;
        double accepted = Stats.perSecond(o.accepted.get(), window);
        double confirmed = Stats.perSecond(events[1] - events[0], window);
        long unconfirmed = step.accepted.get() - step.confirmed.get();
        LatencyStats.Summary post = o.post.summary();
        LatencyStats.Summary e2e = step.endToEnd.summary();
        long errors = o.errors();
        List<String> reasons = new ArrayList<>();
        if (confirmed < saturationFraction * rate) {
            reasons.add(String.format("confirmed < %.0f%% of offered", saturationFraction * 100));
        }
        if (e2e.p99() > p99Limit.toMillis()) {
            reasons.add("e2e p99 > " + p99Limit.toMillis() + " ms");
        }
        if (unconfirmed > 0) {
            reasons.add(unconfirmed + " not confirmed within " + secs(drainTimeout) + " s");
        }
        if (errors > 0.01 * Math.max(1, o.sent.get())) {
            reasons.add("errors > 1%");
        }
        double cores = cpu[1].coresSince(cpu[0]);
        double generatorCores = cpu[1].generatorCoresSince(cpu[0]);
        return new Row(rate, accepted, confirmed, post, e2e, o.sent.get(), o.accepted.get(), step.confirmed.get(),
                o.non202(), o.timeouts.get(), o.ioErrors.get(), o.dropped.get(), unconfirmed, cores, generatorCores,
                ProcessMetrics.heapAfterGcMib(), ProcessMetrics.rssMib(), o.maxSenderLagNanos.get() / 1e6, logBytesPerOrder,
                reasons.isEmpty() ? "ok" : "SATURATED: " + String.join(", ", reasons));
    }

    private void record(ResultsLog results, Row r, Baseline.Result base) {
        ObjectNode rec = results.record("e2e");
        rec.put("offeredPerSecond", r.rate());
        rec.put("acceptedPerSecond", r.acceptedPerSecond());
        rec.put("confirmedPerSecond", r.confirmedPerSecond());
        summary(rec.putObject("postMs"), r.post());
        summary(rec.putObject("endToEndMs"), r.endToEnd());
        rec.put("sent", r.sent());
        rec.put("accepted", r.accepted());
        rec.put("confirmed", r.confirmed());
        rec.put("non202", r.non202());
        rec.put("timeouts", r.timeouts());
        rec.put("ioErrors", r.ioErrors());
        rec.put("dropped", r.dropped());
        rec.put("unconfirmed", r.unconfirmed());
        rec.put("cpuCores", r.cores());
        rec.put("generatorCpuCores", r.generatorCores());
        rec.put("heapAfterGcMib", r.heapMib());
        rec.put("rssMib", r.rssMib());
        rec.put("maxSenderLagMs", r.maxSenderLagMs());
        if (!Double.isNaN(r.logBytesPerOrder())) {
            rec.put("pipelineLogBytesPerOrder", r.logBytesPerOrder());
        }
        rec.put("verdict", r.verdict());
        settings(rec, base);
        results.append(rec);
    }

    private void settings(ObjectNode rec, Baseline.Result base) {
        ObjectNode s = rec.putObject("settings");
        s.put("windowSeconds", secs(duration));
        s.put("leadInSeconds", secs(leadIn));
        s.put("warmupSeconds", secs(warmup));
        s.put("warmupRate", warmupRate > 0 ? warmupRate : rates.isEmpty() ? 0 : rates.get(0));
        s.put("numberMode", pipeline.numberMode());
        s.put("blockSize", pipeline.blockSize());
        s.put("pollers", pipeline.pollers());
        s.put("lines", load.lines);
        s.put("idempotencyKeys", load.idempotencyKeys);
        s.put("senders", load.senders);
        s.put("describe", pipeline.describe());
        if (base != null) {
            rec.put("baselineOrdersPerSecond", base.ordersPerSecond());
        }
    }

    private static void summary(ObjectNode node, LatencyStats.Summary s) {
        node.put("count", s.count());
        node.put("p50", s.p50());
        node.put("p95", s.p95());
        node.put("p99", s.p99());
        node.put("max", s.max());
        node.put("mean", s.mean());
    }

    private void print(PrintStream out, List<Row> rows, Baseline.Result base, ResultsLog results) {
        out.println();
        out.println("POST latency and POST→OrderConfirmed latency, ms, from the scheduled send time (open loop)");
        TextTable t = new TextTable("offered/s", "accepted/s", "confirmed/s", "POST p50", "p95", "p99", "max",
                "E2E p50", "p95", "p99", "max", "errors", "unconf.", "CPU cores", "(generator)", "heap MiB", "RSS MiB");
        for (Row r : rows) {
            t.row(r.rate(), r.acceptedPerSecond(), r.confirmedPerSecond(), r.post().p50(), r.post().p95(), r.post().p99(),
                    r.post().max(), r.endToEnd().p50(), r.endToEnd().p95(), r.endToEnd().p99(), r.endToEnd().max(),
                    r.non202() + r.timeouts() + r.ioErrors() + r.dropped(), r.unconfirmed(), r.cores(), r.generatorCores(),
                    r.heapMib(), r.rssMib());
        }
        t.print(out);
        for (Row r : rows) {
            if (r.saturated() || r.non202() + r.timeouts() + r.ioErrors() + r.dropped() > 0) {
                out.printf("  %d/s: %s (non-202 %d, timeouts %d, I/O errors %d, dropped %d, max sender lag %.1f ms)%n",
                        r.rate(), r.verdict(), r.non202(), r.timeouts(), r.ioErrors(), r.dropped(), r.maxSenderLagMs());
            }
        }
        double best = rows.stream().filter(r -> !r.saturated()).mapToDouble(Row::confirmedPerSecond).max().orElse(Double.NaN);
        Row saturatedAt = rows.stream().filter(Row::saturated).findFirst().orElse(null);
        out.println();
        TextTable s = new TextTable("summary", "value");
        s.row("baseline (SDK only), orders/s", base == null ? Double.NaN : base.ordersPerSecond());
        s.row("pipeline max sustained confirmed/s", best);
        s.row("pipeline / baseline", base == null ? Double.NaN : Stats.ratio(best, base.ordersPerSecond()));
        s.row("saturated at offered/s", saturatedAt == null ? "not reached (raise --rates)" : Integer.toString(saturatedAt.rate()));
        s.print(out);
        ObjectNode rec = results.record("e2e-summary");
        rec.put("maxSustainedConfirmedPerSecond", best);
        if (base != null) {
            rec.put("baselineOrdersPerSecond", base.ordersPerSecond());
            rec.put("ratioToBaseline", Stats.ratio(best, base.ordersPerSecond()));
        }
        if (saturatedAt != null) {
            rec.put("saturatedAtOfferedPerSecond", saturatedAt.rate());
            rec.put("saturationReason", saturatedAt.verdict());
        }
        settings(rec, base);
        results.append(rec);
    }

    /** Size of the functions' log file (bytes so far), to measure log volume per order. */
    private static long logSize() {
        try {
            return java.nio.file.Files.size(java.nio.file.Path.of(System.getProperty("bench.pipelineLogFile")));
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double secs(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
