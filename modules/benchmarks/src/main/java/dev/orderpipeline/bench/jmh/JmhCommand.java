package dev.orderpipeline.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.bench.common.CommonOptions;
import dev.orderpipeline.bench.common.ResultsLog;
import dev.orderpipeline.bench.common.TextTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/**
 * {@code bench jmh [JMH options]}: runs {@link JsonBenchmarks} (or what the options select) with JMH's own command
 * line, e.g. {@code bench jmh -f 2 -wi 5 -i 5 -w 2s -r 2s}; {@code bench jmh -h} shows JMH's options.
 */
@Command(name = "jmh", description = "JMH microbenchmarks of the JSON hot paths (JsonBenchmarks); every other argument "
        + "is JMH's (e.g. -f 2 -wi 5 -i 5 -w 2s -r 2s, -p lines=100, -h), except --label and --results.")
public final class JmhCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    /** Whatever is not ours, in order, for JMH's own parser. */
    @Unmatched
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLineOptions options = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        if (options.shouldList()) {
            new Runner(options).list();
            return 0;
        }
        org.openjdk.jmh.runner.options.Options effective = !options.getIncludes().isEmpty() ? options
                : new org.openjdk.jmh.runner.options.OptionsBuilder().parent(options).include(JsonBenchmarks.class.getName()).build();
        Collection<RunResult> results = new Runner(effective).run();

        ResultsLog log = common.resultsLog();
        TextTable t = new TextTable("benchmark", "lines", "score", "± error", "unit");
        for (RunResult r : results) {
            var primary = r.getPrimaryResult();
            String name = r.getParams().getBenchmark();
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            String lines = r.getParams().getParam("lines");
            t.row(shortName, lines == null ? "-" : lines, primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
            ObjectNode rec = log.record("jmh");
            rec.put("benchmark", name);
            if (lines != null) {
                rec.put("lines", Integer.parseInt(lines));
            }
            rec.put("mode", r.getParams().getMode().shortLabel());
            rec.put("score", primary.getScore());
            rec.put("error", primary.getScoreError());
            rec.put("unit", primary.getScoreUnit());
            rec.put("forks", r.getParams().getForks());
            rec.put("warmupIterations", r.getParams().getWarmup().getCount());
            rec.put("measurementIterations", r.getParams().getMeasurement().getCount());
            log.append(rec);
        }
        System.out.println();
        t.print(System.out);
        System.out.println("appended to " + log.file());
        return 0;
    }
}
