package dev.orderpipeline.bench.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.bench.common.CommonOptions;
import dev.orderpipeline.bench.common.LatencyStats;
import dev.orderpipeline.bench.common.PipelineLogOptions;
import dev.orderpipeline.bench.common.ProcessMetrics;
import dev.orderpipeline.bench.common.ResultsLog;
import dev.orderpipeline.bench.common.Stats;
import dev.orderpipeline.bench.common.TextTable;
import dev.orderpipeline.local.DurationConverter;
import dev.orderpipeline.local.LocalPipeline;
import dev.orderpipeline.local.LocalSettings;
import dev.orderpipeline.local.PipelineOptions;
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
 * {@code bench e2e}: the pipeline (the whole local runtime in this JVM) and the SDK-only baseline, each measured as an
 * open-loop rate search with the same load generator, the same HTTP hop in front, the same subscriber drain and the
 * same saturation rule: a ladder of rates up to the first saturated step, then bisection between the best sustained
 * and the first saturated rate until the saturation point is known to within {@code --precision}. Repeated
 * {@code --repeats} times, alternating the two sides; each figure is reported as the median with its spread.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "End to end: open-loop rate searches (ladder, then bisection near saturation) of the pipeline "
                + "(POST /orders against the local runtime in this JVM, OrderConfirmed read from the subscriber queue) "
                + "and of the SDK-only baseline behind the same HTTP hop, with one saturation rule for both; repeated, "
                + "medians with spread, and the ratio of the two maximum sustained rates.")
public final class E2eCommand implements Callable<Integer> {
    @Option(names = "--rates", split = ",", description = "The ladder: offered rates in orders/s, in order, run until the "
            + "first saturated one; bisection then narrows the gap to it (default: ${DEFAULT-VALUE}).")
    List<Integer> rates = List.of(50, 100, 200);

    @Option(names = "--precision", description = "Bisect until the saturation point is known to within ± this fraction "
            + "(default: ${DEFAULT-VALUE}).")
    double precision = 0.05;

    @Option(names = "--max-bisections", description = "Bisection steps per search at most (default: ${DEFAULT-VALUE}).")
    int maxBisections = 6;

    @Option(names = "--repeats", description = "Searches per side, alternating pipeline and baseline; figures are "
            + "medians with min-max (default: ${DEFAULT-VALUE}; 3 or more for figures).")
    int repeats = 1;

    @Option(names = "--sides", split = ",", description = "pipeline and/or baseline (default: ${DEFAULT-VALUE}).")
    List<String> sides = List.of("pipeline", "baseline");

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

    @Option(names = "--example-subscriber", description = "Also run the template's example subscriber "
            + "(OrderHistoryFunction: its rule, queue, table and two writes per order) on the pipeline's side. Off by "
            + "default: the baseline has no such consumer, and both sides already have the load generator's own "
            + "subscriber (default: ${DEFAULT-VALUE}).")
    boolean exampleSubscriber;

    /** The template's settings but a 30 s visibility timeout: 180 s would hide a stuck batch for the whole run. */
    @Mixin
    PipelineOptions pipeline = new PipelineOptions(30);
    @Mixin
    PipelineLogOptions pipelineLogs;
    @Mixin
    LoadOptions load;
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

    /** One side's search: its steps, the best sustained rate, and the bracket of the saturation point. */
    record Search(String side, int repeat, List<Row> rows, double maxSustained, int sustainedRate, int saturatedRate) {
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ResultsLog results = common.resultsLog();
        for (String side : sides) {
            if (!side.equals("pipeline") && !side.equals("baseline")) {
                throw new IllegalArgumentException("--sides takes pipeline and/or baseline");
            }
        }
        out.printf("e2e: %s, ladder %s/s then bisection to ±%.0f%%, %d repeat(s), window %s s (+%s s lead-in), warm-up %s s "
                        + "at %s/s, %d-line orders, idempotency keys %s; %s%n",
                sides, rates, precision * 100, repeats, secs(duration), secs(leadIn), secs(warmup),
                warmupRate > 0 ? Integer.toString(warmupRate) : rates.isEmpty() ? "-" : rates.get(0).toString(), load.lines,
                load.idempotencyKeys ? "on" : "off", describe());
        long startNanos = System.nanoTime();
        List<Search> searches = new ArrayList<>();
        pipelineLogs.apply();
        try (LocalPipeline running = LocalPipeline.start(pipeline.applyTo(LocalSettings.forTests())
                .withExampleSubscriber(exampleSubscriber));
             Baseline baseline = new Baseline(running.functionClients(), running.resources().tableName(),
                     pipeline.pollers(), pipeline.numberMode(), pipeline.blockSize())) {
            out.printf("local runtime started in %d ms (%d cores)%n%n", (System.nanoTime() - startNanos) / 1_000_000,
                    ProcessMetrics.cores());
            SqsClient subscriberSqs = running.functionClients().build(SqsClient.builder());
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (String side : sides) {
                    boolean isPipeline = side.equals("pipeline");
                    Search search = search(side, repeat, isPipeline ? running.httpApiUrl() : baseline.url(),
                            isPipeline ? subscriberSqs : baseline.sqs(),
                            isPipeline ? running.resources().subscriberQueueUrl() : baseline.subscriberQueueUrl(),
                            repeat == 1, results, out);
                    searches.add(search);
                }
            }
        }
        summarise(out, searches, results);
        out.println("appended to " + results.file());
        return 0;
    }

    private Search search(String side, int repeat, java.net.URI url, SqsClient subscriberSqs, String subscriberQueueUrl,
                          boolean warm, ResultsLog results, PrintStream out) throws InterruptedException {
        out.printf("%s, search %d of %d%n", side, repeat, repeats);
        OrderTracker tracker = new OrderTracker();
        List<Row> rows = new ArrayList<>();
        int sustained = 0;
        int saturated = 0;
        try (SubscriberDrain drain = new SubscriberDrain(subscriberSqs, subscriberQueueUrl, load.consumers, tracker::event);
             LoadGenerator generator = new LoadGenerator(url, tracker, load.senders, load.lines,
                     load.idempotencyKeys, requestTimeout, maxInFlight)) {
            if (warm && !warmup.isZero() && !rates.isEmpty()) {
                int rate = warmupRate > 0 ? warmupRate : rates.get(0);
                out.printf("  warming up at %d/s for %s s …%n", rate, secs(warmup));
                // never reported: the first window opens only once the warm-up's orders are all confirmed, so no
                // backlog of it is measured as the first rate's latency
                OrderTracker.Step w = new OrderTracker.Step();
                generator.run(rate, Duration.ZERO, warmup, w, () -> { }, () -> { });
                long deadline = System.nanoTime() + drainTimeout.plus(warmup).toNanos();
                while (w.confirmed.get() < w.accepted.get() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                out.printf("  warm-up: %d orders accepted, %d confirmed%n", w.accepted.get(), w.confirmed.get());
            }
            for (int rate : rates) {
                Row row = measure(side, repeat, generator, tracker, rate, rows, results, out);
                if (row.saturated()) {
                    saturated = rate;
                    break;
                }
                sustained = rate;
            }
            // bisection: the saturation point lies in (sustained, saturated]; narrow it to within ±precision
            for (int i = 0; saturated > 0 && i < maxBisections
                    && saturated - sustained > precision * (saturated + sustained); i++) {
                int mid = (sustained + saturated) / 2;
                if (mid == sustained || mid == saturated) {
                    break;
                }
                if (measure(side, repeat, generator, tracker, mid, rows, results, out).saturated()) {
                    saturated = mid;
                } else {
                    sustained = mid;
                }
            }
            if (tracker.eventsWithoutOrder() > 0 || drain.errors() > 0) {
                out.printf("  note: %d event(s) matched no accepted order, %d subscriber receive error(s), %d duplicate event(s)%n",
                        tracker.eventsWithoutOrder(), drain.errors(), tracker.duplicates());
            }
        }
        Search search = new Search(side, repeat, rows, maxSustained(rows), sustained, saturated);
        print(out, search, results);
        return search;
    }

    /**
     * After a saturated step, waits (at most {@code --drain-timeout}) until no event has arrived for a second, so that
     * the next bisection step does not inherit the backlog of an overload.
     */
    private void settle(OrderTracker tracker) throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline && tracker.events() != seen) {
            seen = tracker.events();
            Thread.sleep(1000);
        }
    }

    /**
     * The one rule both sides are scored by: the best confirmed/s of the unsaturated steps. A saturated step never
     * counts, however much it delivered.
     */
    static double maxSustained(List<Row> rows) {
        return rows.stream().filter(r -> !r.saturated()).mapToDouble(Row::confirmedPerSecond).max().orElse(Double.NaN);
    }

    private Row measure(String side, int repeat, LoadGenerator generator, OrderTracker tracker, int rate, List<Row> rows,
                        ResultsLog results, PrintStream out) throws InterruptedException {
        if (!rows.isEmpty() && rows.get(rows.size() - 1).saturated()) {
            settle(tracker);
        }
        Row row = step(generator, tracker, rate);
        rows.add(row);
        out.printf("  %4d/s offered: accepted %.1f/s, confirmed %.1f/s, POST p99 %.1f ms, e2e p99 %.1f ms, errors %d → %s%n",
                rate, row.acceptedPerSecond(), row.confirmedPerSecond(), row.post().p99(), row.endToEnd().p99(),
                row.non202() + row.timeouts() + row.ioErrors() + row.dropped(), row.verdict());
        record(results, row, side, repeat);
        return row;
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
        double logBytesPerOrder = pipelineLogs.atInfo() && o.acceptedAll.get() > 0
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

    private void record(ResultsLog results, Row r, String side, int repeat) {
        ObjectNode rec = results.record("e2e");
        rec.put("side", side);
        rec.put("repeat", repeat);
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
        settings(rec);
        results.append(rec);
    }

    private void settings(ObjectNode rec) {
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
        s.put("describe", describe());
        s.put("precision", precision);
        s.put("repeats", repeats);
        s.put("saturationFraction", saturationFraction);
        s.put("p99LimitMs", p99Limit.toMillis());
        s.put("exampleSubscriber", exampleSubscriber);
    }

    private static void summary(ObjectNode node, LatencyStats.Summary s) {
        node.put("count", s.count());
        node.put("p50", s.p50());
        node.put("p95", s.p95());
        node.put("p99", s.p99());
        node.put("max", s.max());
        node.put("mean", s.mean());
    }

    private void print(PrintStream out, Search search, ResultsLog results) {
        out.println();
        out.printf("%s, search %d: POST latency and POST→OrderConfirmed latency, ms, from the scheduled send time (open loop)%n",
                search.side(), search.repeat());
        TextTable t = new TextTable("offered/s", "accepted/s", "confirmed/s", "POST p50", "p95", "p99", "max",
                "E2E p50", "p95", "p99", "max", "errors", "unconf.", "CPU cores", "(generator)", "heap MiB", "RSS MiB");
        for (Row r : search.rows()) {
            t.row(r.rate(), r.acceptedPerSecond(), r.confirmedPerSecond(), r.post().p50(), r.post().p95(), r.post().p99(),
                    r.post().max(), r.endToEnd().p50(), r.endToEnd().p95(), r.endToEnd().p99(), r.endToEnd().max(),
                    r.non202() + r.timeouts() + r.ioErrors() + r.dropped(), r.unconfirmed(), r.cores(), r.generatorCores(),
                    r.heapMib(), r.rssMib());
        }
        t.print(out);
        for (Row r : search.rows()) {
            if (r.saturated() || r.non202() + r.timeouts() + r.ioErrors() + r.dropped() > 0) {
                out.printf("  %d/s: %s (non-202 %d, timeouts %d, I/O errors %d, dropped %d, max sender lag %.1f ms)%n",
                        r.rate(), r.verdict(), r.non202(), r.timeouts(), r.ioErrors(), r.dropped(), r.maxSenderLagMs());
            }
        }
        out.printf("%s, search %d: max sustained %.1f confirmed/s; saturation between %d/s (sustained) and %s%n%n",
                search.side(), search.repeat(), search.maxSustained(), search.sustainedRate(),
                search.saturatedRate() == 0 ? "beyond the ladder (raise --rates)" : search.saturatedRate() + "/s (saturated)");
        ObjectNode rec = results.record("e2e-search");
        rec.put("side", search.side());
        rec.put("repeat", search.repeat());
        rec.put("maxSustainedConfirmedPerSecond", search.maxSustained());
        rec.put("sustainedOfferedPerSecond", search.sustainedRate());
        rec.put("saturatedOfferedPerSecond", search.saturatedRate());
        search.rows().stream().filter(Row::saturated).findFirst().ifPresent(r -> rec.put("saturationReason", r.verdict()));
        settings(rec);
        results.append(rec);
    }

    /** Medians with min-max over the repeats, and the ratio of the medians (and the median of the per-repeat ratios). */
    private void summarise(PrintStream out, List<Search> searches, ResultsLog results) {
        TextTable t = new TextTable("side", "searches", "max sustained confirmed/s: median", "min", "max",
                "saturation bracket (offered/s)");
        ObjectNode rec = results.record("e2e-summary");
        for (String side : sides) {
            List<Search> mine = searches.stream().filter(s -> s.side().equals(side)).toList();
            List<Double> values = mine.stream().map(Search::maxSustained).toList();
            String brackets = String.join(", ", mine.stream()
                    .map(s -> s.sustainedRate() + "-" + (s.saturatedRate() == 0 ? "?" : Integer.toString(s.saturatedRate())))
                    .toList());
            t.row(side, mine.size(), Stats.median(values), Stats.min(values), Stats.max(values), brackets);
            ObjectNode o = rec.putObject(side);
            o.put("medianMaxSustainedConfirmedPerSecond", Stats.median(values));
            o.put("min", Stats.min(values));
            o.put("max", Stats.max(values));
            o.putPOJO("all", values);
        }
        out.println("summary (the same rule on both sides: best confirmed/s of the unsaturated steps)");
        t.print(out);
        if (sides.contains("pipeline") && sides.contains("baseline")) {
            List<Double> ratios = new ArrayList<>();
            for (int r = 1; r <= repeats; r++) {
                final int repeat = r;
                double p = searches.stream().filter(s -> s.repeat() == repeat && s.side().equals("pipeline")).findFirst().orElseThrow().maxSustained();
                double b = searches.stream().filter(s -> s.repeat() == repeat && s.side().equals("baseline")).findFirst().orElseThrow().maxSustained();
                ratios.add(Stats.ratio(p, b));
            }
            double ratioOfMedians = Stats.ratio(rec.path("pipeline").path("medianMaxSustainedConfirmedPerSecond").asDouble(),
                    rec.path("baseline").path("medianMaxSustainedConfirmedPerSecond").asDouble());
            out.printf("pipeline ÷ baseline: %.2f (ratio of the medians); per repeat %s, median %.2f [%.2f-%.2f]%n",
                    ratioOfMedians, ratios.stream().map(x -> String.format(java.util.Locale.ROOT, "%.2f", x)).toList(),
                    Stats.median(ratios), Stats.min(ratios), Stats.max(ratios));
            rec.put("ratioOfMedians", ratioOfMedians);
            rec.putPOJO("ratiosPerRepeat", ratios);
        }
        settings(rec);
        results.append(rec);
    }

    private String describe() {
        return pipeline.describe() + ", pipeline logs=" + pipelineLogs + ", example subscriber "
                + (exampleSubscriber ? "on" : "off");
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
