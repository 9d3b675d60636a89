package dev.orderpipeline.bench;

import dev.orderpipeline.bench.coldstart.ColdStartCommand;
import dev.orderpipeline.bench.common.BenchPaths;
import dev.orderpipeline.bench.confirm.ConfirmCommand;
import dev.orderpipeline.bench.cost.CostCommand;
import dev.orderpipeline.bench.e2e.E2eCommand;
import dev.orderpipeline.bench.jmh.JmhCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./bench <command>}: see docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the order pipeline. Defaults are quick smoke settings; docs/benchmarks.md lists "
                + "the full settings. Every command prints a table and appends JSON lines to "
                + "modules/benchmarks/target/results.jsonl.",
        subcommands = {E2eCommand.class, ConfirmCommand.class, ColdStartCommand.class,
                CostCommand.class, JmhCommand.class})
public final class BenchMain implements Runnable {
    static {
        // Before any JDK HttpServer class loads: the in-repo endpoints and the local HTTP API are JDK HttpServers,
        // which otherwise leave Nagle's algorithm on and add ~40 ms to responses whose body is written separately.
        // Set -Dsun.net.httpserver.nodelay=false to measure what a JVM without the property gets.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("bench.pipelineLogFile") == null) {
            System.setProperty("bench.pipelineLogFile", BenchPaths.targetDir().resolve("pipeline.log").toString());
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:log4j2-bench.xml");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchMain());
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("bench: " + e);
            e.printStackTrace(cmd.getErr());
            return 2;
        });
        int code = cli.execute(args);
        // emulators and HTTP client threads are not all daemons: leave promptly once the report is written
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
