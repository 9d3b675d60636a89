package dev.orderpipeline.bench.e2e;

import dev.orderpipeline.bench.common.DurationConverter;
import dev.orderpipeline.local.LocalPipeline;
import dev.orderpipeline.local.LocalSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the local runtime under test is started. */
public final class PipelineOptions {
    @Option(names = "--number-mode", description = "strict or block (default: ${DEFAULT-VALUE}).")
    String numberMode = "strict";

    @Option(names = "--block-size", description = "Numbers per reservation in block mode (default: ${DEFAULT-VALUE}).")
    int blockSize = 100;

    @Option(names = "--pollers", description = "SQS pollers = concurrent confirmation function instances (default: ${DEFAULT-VALUE}, as ./run-local).")
    int pollers = 2;

    @Option(names = "--visibility-timeout", description = "Order queue visibility timeout in seconds (default: ${DEFAULT-VALUE}; the template's 180 s would hide a stuck batch for the whole run).")
    int visibilityTimeout = 30;

    @Option(names = "--batching-window", converter = DurationConverter.class,
            description = "Event source batching window (default: ${DEFAULT-VALUE}, as the template's MaximumBatchingWindowInSeconds: 0).")
    Duration batchingWindow = Duration.ZERO;

    @Option(names = "--pipeline-logs", description = "info: the functions log as on Lambda with the template's default level (JSON lines, one per order per function, to target/pipeline.log); "
            + "warn: warnings only (default: ${DEFAULT-VALUE}).")
    String pipelineLogs = "info";

    public String numberMode() {
        return numberMode;
    }

    public int pollers() {
        return pollers;
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean logsAtInfo() {
        return pipelineLogs.equalsIgnoreCase("info");
    }

    /** Must run before the first logger of the pipeline exists. */
    public void configureLogging() {
        String level = switch (pipelineLogs.toLowerCase(java.util.Locale.ROOT)) {
            case "info" -> "INFO";
            case "warn", "off" -> "WARN";
            default -> throw new IllegalArgumentException("--pipeline-logs must be info or warn");
        };
        System.setProperty("bench.pipelineLogLevel", level);
    }

    public LocalSettings settings() {
        if (!numberMode.equals("strict") && !numberMode.equals("block")) {
            throw new IllegalArgumentException("--number-mode must be strict or block");
        }
        return LocalSettings.forTests()
                .withPollers(pollers)
                .withNumbering(numberMode, blockSize)
                .withVisibilityTimeout(visibilityTimeout)
                .withBatchingWindow(batchingWindow);
    }

    public LocalPipeline start() {
        configureLogging();
        return LocalPipeline.start(settings());
    }

    public String describe() {
        return "mode=" + numberMode + (numberMode.equals("block") ? " (block " + blockSize + ")" : "") + ", pollers="
                + pollers + ", batching window=" + batchingWindow.toMillis() + " ms, visibility timeout="
                + visibilityTimeout + " s, pipeline logs=" + pipelineLogs;
    }
}
