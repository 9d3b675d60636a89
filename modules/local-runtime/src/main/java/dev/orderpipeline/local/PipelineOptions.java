package dev.orderpipeline.local;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How the pipeline confirms: number allocation, pollers, queue timing. A picocli mixin, so that {@code ./run-local} and
 * {@code ./bench} take these flags under the same names, with the same meaning and the same checks. A command that needs
 * another default visibility timeout passes its own instance ({@code @Mixin PipelineOptions p = new PipelineOptions(30)}).
 */
public final class PipelineOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--number-mode", description = "Order number allocation: strict or block (default: ${DEFAULT-VALUE}).")
    String numberMode = "strict";

    @Option(names = "--block-size", description = "Numbers reserved per counter write in block mode (default: ${DEFAULT-VALUE}).")
    int blockSize = 100;

    @Option(names = "--pollers", description = "Concurrent SQS pollers, i.e. confirmation function instances (default: ${DEFAULT-VALUE}).")
    int pollers = 2;

    @Option(names = "--visibility-timeout", description = "Order queue visibility timeout in seconds; a failed message "
            + "comes back after it (default: ${DEFAULT-VALUE}).")
    int visibilityTimeout;

    @Option(names = "--batching-window", converter = DurationConverter.class, description = "How long the event source "
            + "gathers messages into a batch, e.g. 250ms (default: " + PipelineResources.MAX_BATCHING_WINDOW_SECONDS
            + "s, the template's MaximumBatchingWindowInSeconds).")
    Duration batchingWindow = Duration.ofSeconds(PipelineResources.MAX_BATCHING_WINDOW_SECONDS);

    /** The template's visibility timeout (180 s). */
    public PipelineOptions() {
        this(PipelineResources.VISIBILITY_TIMEOUT_SECONDS);
    }

    public PipelineOptions(int defaultVisibilityTimeoutSeconds) {
        this.visibilityTimeout = defaultVisibilityTimeoutSeconds;
    }

    /** {@code base} with these flags' settings; a wrong value is a usage error of the command. */
    public LocalSettings applyTo(LocalSettings base) {
        if (!numberMode.equals("strict") && !numberMode.equals("block")) {
            String message = "--number-mode must be strict or block";
            throw command == null ? new IllegalArgumentException(message)
                    : new CommandLine.ParameterException(command.commandLine(), message);
        }
        return base.withPollers(pollers)
                .withNumbering(numberMode, blockSize)
                .withVisibilityTimeout(visibilityTimeout)
                .withBatchingWindow(batchingWindow);
    }

    public String numberMode() {
        return numberMode;
    }

    public int blockSize() {
        return blockSize;
    }

    public int pollers() {
        return pollers;
    }

    /** One line for a report: {@code mode=block (block 100), pollers=2, batching window=0 ms, visibility timeout=30 s}. */
    public String describe() {
        return String.format(Locale.ROOT, "mode=%s%s, pollers=%d, batching window=%d ms, visibility timeout=%d s", numberMode,
                numberMode.equals("block") ? " (block " + blockSize + ")" : "", pollers, batchingWindow.toMillis(),
                visibilityTimeout);
    }
}
