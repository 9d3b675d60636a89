package dev.orderpipeline.bench.e2e;

import dev.orderpipeline.bench.common.DurationConverter;
import dev.orderpipeline.bench.common.ResultsLog;
import dev.orderpipeline.bench.common.TextTable;
import dev.orderpipeline.local.LocalPipeline;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The SDK-only baseline's settings, and running it against a started pipeline's endpoints. */
public final class BaselineOptions {
    @Option(names = "--baseline-duration", converter = DurationConverter.class,
            description = "Measured window of the baseline (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(3);

    @Option(names = "--baseline-warmup", converter = DurationConverter.class,
            description = "Unmeasured warm-up of the baseline (default: ${DEFAULT-VALUE}).")
    Duration warmup = Duration.ofSeconds(2);

    @Option(names = "--baseline-producers", description = "Threads sending orders to the queue (default: ${DEFAULT-VALUE}).")
    int producers = 4;

    @Option(names = "--baseline-in-flight", description = "Orders sent but not yet at the subscriber, at most (default: ${DEFAULT-VALUE}).")
    int inFlight = 200;

    Baseline.Result run(LocalPipeline pipeline, PipelineOptions pipelineOptions, LoadOptions load, ResultsLog results,
                        PrintStream out) throws InterruptedException {
        out.printf("baseline: the same AWS calls per order straight through the SDK (%d producers, %d workers = pollers, "
                        + "%d subscriber consumer(s), %s, idempotency GetItem %s), warm-up %s s, window %s s%n",
                producers, pipelineOptions.pollers(), load.consumers, pipelineOptions.numberMode(),
                load.idempotencyKeys ? "on" : "off", warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0);
        Baseline baseline = new Baseline(pipeline.functionClients(), pipeline.resources().tableName());
        Baseline.Result r = baseline.run(warmup, duration, producers, pipelineOptions.pollers(), load.consumers, inFlight,
                pipelineOptions.numberMode(), pipelineOptions.blockSize(), load.idempotencyKeys, load.lines);
        new TextTable("baseline", "orders/s", "orders", "window s", "producers", "workers", "mode")
                .row("SDK only", r.ordersPerSecond(), r.orders(), duration.toMillis() / 1000.0, producers,
                        pipelineOptions.pollers(), pipelineOptions.numberMode())
                .print(out);
        out.println();
        ObjectNode rec = results.record("baseline");
        rec.put("ordersPerSecond", r.ordersPerSecond());
        rec.put("orders", r.orders());
        rec.put("windowSeconds", duration.toMillis() / 1000.0);
        rec.put("warmupSeconds", warmup.toMillis() / 1000.0);
        rec.put("producers", producers);
        rec.put("workers", pipelineOptions.pollers());
        rec.put("consumers", load.consumers);
        rec.put("inFlight", inFlight);
        rec.put("numberMode", pipelineOptions.numberMode());
        rec.put("blockSize", pipelineOptions.blockSize());
        rec.put("idempotencyKeys", load.idempotencyKeys);
        rec.put("lines", load.lines);
        results.append(rec);
        return r;
    }
}
