package dev.orderpipeline.bench.common;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every benchmark shares. */
public final class CommonOptions {
    @Option(names = "--results", description = "JSON-lines file the figures are appended to (default: modules/benchmarks/target/results.jsonl).")
    Path results;

    @Option(names = "--label", description = "Tag stored with every result line, e.g. smoke or quiet-run (default: ${DEFAULT-VALUE}).")
    String label = "adhoc";

    public ResultsLog resultsLog() {
        return new ResultsLog(results != null ? results : BenchPaths.defaultResultsFile(), label);
    }
}
