package dev.orderpipeline.bench.common;

import java.util.Locale;
import picocli.CommandLine.Option;

/** How much the functions log while they are measured: as on Lambda, or warnings only. */
public final class PipelineLogOptions {
    @Option(names = "--pipeline-logs", description = "info: the functions log as on Lambda with the template's default "
            + "level (JSON lines, one per order per function, to target/pipeline.log); warn: warnings only "
            + "(default: ${DEFAULT-VALUE}).")
    String level = "info";

    public boolean atInfo() {
        return level.equalsIgnoreCase("info");
    }

    /** Must run before the first logger of the pipeline exists (log4j2-bench.xml reads the property). */
    public void apply() {
        String log4jLevel = switch (level.toLowerCase(Locale.ROOT)) {
            case "info" -> "INFO";
            case "warn", "off" -> "WARN";
            default -> throw new IllegalArgumentException("--pipeline-logs must be info or warn");
        };
        System.setProperty("bench.pipelineLogLevel", log4jLevel);
    }

    @Override
    public String toString() {
        return level;
    }
}
