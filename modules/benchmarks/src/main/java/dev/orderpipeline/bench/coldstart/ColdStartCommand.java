package dev.orderpipeline.bench.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.bench.coldstart.probe.ConfirmationProbe;
import dev.orderpipeline.bench.coldstart.probe.IntakeProbe;
import dev.orderpipeline.bench.coldstart.probe.ProbeSupport;
import dev.orderpipeline.bench.coldstart.probe.ReferenceConfirmationProbe;
import dev.orderpipeline.bench.coldstart.probe.ReferenceIntakeProbe;
import dev.orderpipeline.bench.common.BenchPaths;
import dev.orderpipeline.bench.common.CommonOptions;
import dev.orderpipeline.bench.common.ResultsLog;
import dev.orderpipeline.bench.common.SampleOrders;
import dev.orderpipeline.bench.common.Stats;
import dev.orderpipeline.bench.common.TextTable;
import dev.orderpipeline.confirmation.ConfirmationPrimingAccess;
import dev.orderpipeline.intake.IntakePrimingAccess;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.local.LocalPipeline;
import dev.orderpipeline.local.LocalSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code bench coldstart}: each function's zip, unpacked as Lambda unpacks it, started in fresh JVMs that build the
 * handler the way the Lambda runtime does (its no-arg constructor, configured by environment variables) and invoke it
 * twice; beside it, a reference JVM on the same classpath that only builds the same SDK clients and makes the same
 * AWS calls. The emulators run in this process.
 */
@Command(name = "coldstart", mixinStandardHelpOptions = true,
        description = "Cold start of each function zip in fresh JVMs (init, first and second invocation), with and "
                + "without -XX:TieredStopAtLevel=1, against an SDK-only reference on the same classpath; and what "
                + "SnapStart priming buys: the first call after init and priming against the first call without it "
                + "and a warm call.")
public final class ColdStartCommand implements Callable<Integer> {
    private static final List<Class<?>> PROBE_CLASSES = List.of(ProbeSupport.class, IntakeProbe.class,
            ConfirmationProbe.class, ReferenceIntakeProbe.class, ReferenceConfirmationProbe.class,
            IntakePrimingAccess.class, ConfirmationPrimingAccess.class);

    @Option(names = "--runs", description = "Fresh JVMs per function, variant and probe; the median is reported (default: ${DEFAULT-VALUE}; use 7 or more for figures).")
    int runs = 3;

    @Option(names = "--functions", split = ",", description = "intake and/or confirmation (default: ${DEFAULT-VALUE}).")
    List<String> functions = List.of("intake", "confirmation");

    @Option(names = "--variants", split = ",", description = "default (tiered JIT) and/or c1 (-XX:TieredStopAtLevel=1) (default: ${DEFAULT-VALUE}).")
    List<String> variants = List.of("default", "c1");

    @Option(names = "--jvm-args", description = "Extra JVM options for every probe JVM (default: '${DEFAULT-VALUE}': what the JVM picks by itself in a 1 GB Lambda sandbox).")
    String jvmArgs = "-XX:+UseSerialGC";

    @Option(names = "--intake-zip", description = "Default: modules/intake-function/target/intake-function.zip.")
    Path intakeZip;

    @Option(names = "--confirmation-zip", description = "Default: modules/confirmation-function/target/confirmation-function.zip.")
    Path confirmationZip;

    @Option(names = "--no-reference", description = "Skip the SDK-only reference JVMs.")
    boolean noReference;

    @Option(names = "--no-priming", description = "Skip the JVMs that run the SnapStart priming hook before the first call.")
    boolean noPriming;

    @Option(names = "--warm-calls", description = "Calls after the second one in each of our JVMs; their median is the warm call (default: ${DEFAULT-VALUE}).")
    int warmCalls = 20;

    @Option(names = "--keep", description = "Keep the unpacked packages and probe output (printed path).")
    boolean keep;

    @Mixin
    CommonOptions common;

    /** One fresh JVM; {@code primingMs} is 0 and {@code warmInvokeMs} NaN where the probe did not do them. */
    record Run(double jvmStartMs, double initMs, double primingMs, double firstInvokeMs, double secondInvokeMs,
               double warmInvokeMs) {
        double initPlusFirst() {
            return initMs + firstInvokeMs;
        }

        double total() {
            return jvmStartMs + initMs + firstInvokeMs;
        }
    }

    @Override
    public Integer call() throws Exception {
        System.setProperty("bench.pipelineLogLevel", "WARN");
        Path root = BenchPaths.repoRoot();
        Map<String, Path> zips = new LinkedHashMap<>();
        for (String f : functions) {
            Path zip = switch (f) {
                case "intake" -> intakeZip != null ? intakeZip : root.resolve("modules/intake-function/target/intake-function.zip");
                case "confirmation" -> confirmationZip != null ? confirmationZip
                        : root.resolve("modules/confirmation-function/target/confirmation-function.zip");
                default -> throw new IllegalArgumentException("--functions takes intake and/or confirmation");
            };
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException(zip + " is missing: build it with ./mvnw -q -DskipTests -pl modules/benchmarks -am package");
            }
            zips.put(f, zip);
        }
        for (String v : variants) {
            if (!v.equals("default") && !v.equals("c1")) {
                throw new IllegalArgumentException("--variants takes default and/or c1");
            }
        }
        Path work = Files.createTempDirectory("bench-coldstart-");
        Path probeDir = work.resolve("probe");
        writeProbeClasses(probeDir);
        Map<String, FunctionPackage> packages = new LinkedHashMap<>();
        zips.forEach((name, zip) -> packages.put(name, FunctionPackage.unpack(name, zip, work.resolve(name))));

        ResultsLog results = common.resultsLog();
        Map<String, List<Run>> measured = new LinkedHashMap<>();
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests().withPollers(1))) {
            SqsClient sqs = pipeline.clients().build(SqsClient.builder());
            // a queue nobody polls, so the local runtime's own confirmation never competes with the probes
            String queueUrl = sqs.createQueue(b -> b.queueName("bench-coldstart-orders")).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            Map<String, String> baseEnv = new LinkedHashMap<>();
            baseEnv.put("AWS_REGION", pipeline.region());
            baseEnv.put("AWS_ACCESS_KEY_ID", "test");
            baseEnv.put("AWS_SECRET_ACCESS_KEY", "test");
            baseEnv.put("AWS_ENDPOINT_URL", pipeline.awsEndpoint().toString());
            baseEnv.put("ORDERS_TABLE", pipeline.resources().tableName());
            baseEnv.put("ORDER_QUEUE_URL", queueUrl);
            baseEnv.put("EVENT_BUS_NAME", pipeline.resources().eventBusName());
            baseEnv.put("EVENT_SOURCE", "order-pipeline");
            baseEnv.put("ORDER_NUMBER_MODE", "strict");
            baseEnv.put("POWERTOOLS_SERVICE_NAME", "order-pipeline-bench");
            baseEnv.put("POWERTOOLS_METRICS_NAMESPACE", "OrderPipeline");
            baseEnv.put("POWERTOOLS_LOG_LEVEL", "INFO");
            baseEnv.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            baseEnv.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            baseEnv.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");

            System.out.printf("coldstart: %d run(s) per function × variant × probe, JVM options '%s', emulators at %s%n",
                    runs, jvmArgs, pipeline.awsEndpoint());
            int seq = 0;
            for (int run = 1; run <= runs; run++) {
                for (FunctionPackage pkg : packages.values()) {
                    for (String variant : variants) {
                        List<String> probes = new ArrayList<>(List.of("ours"));
                        if (!noPriming) {
                            probes.add("primed");
                        }
                        if (!noReference) {
                            probes.add("reference");
                        }
                        for (String probe : probes) {
                            Path runDir = Files.createDirectories(work.resolve("runs").resolve(Integer.toString(++seq)));
                            Run r = launch(pkg, variant, probe, runDir, probeDir, baseEnv, queueUrl, queueArn);
                            measured.computeIfAbsent(key(pkg.name(), variant, probe), k -> new ArrayList<>()).add(r);
                            System.out.printf("  run %d %-12s %-7s %-9s jvm %6.1f  init %7.1f  priming %7.1f  1st %7.1f  2nd %6.1f  warm %6.1f ms%n",
                                    run, pkg.name(), variant, probe, r.jvmStartMs(), r.initMs(), r.primingMs(),
                                    r.firstInvokeMs(), r.secondInvokeMs(), r.warmInvokeMs());
                        }
                    }
                }
            }
        } finally {
            if (!keep) {
                deleteTree(work);
            } else {
                System.out.println("kept " + work);
            }
        }
        print(packages, measured, results);
        System.out.println("appended to " + results.file());
        return 0;
    }

    private Run launch(FunctionPackage pkg, String variant, String probe, Path runDir, Path probeDir,
                       Map<String, String> baseEnv, String queueUrl, String queueArn) throws IOException, InterruptedException {
        String function = pkg.name();
        Class<?> main = switch (function + "/" + probe) {
            case "intake/ours" -> IntakeProbe.class;
            case "intake/reference" -> ReferenceIntakeProbe.class;
            case "intake/primed" -> IntakeProbe.class;
            case "confirmation/ours", "confirmation/primed" -> ConfirmationProbe.class;
            default -> ReferenceConfirmationProbe.class;
        };
        // what each call sends: the intake body, or a queue message (what intake would have enqueued)
        List<String> args = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String body = SampleOrders.body(System.nanoTime() % 1000, 3);
            OrderId orderId = OrderId.random();
            String message = OrderMessageJson.write(new PendingOrder(orderId, Instant.now(),
                    OrderSubmissionJson.read(body.getBytes(StandardCharsets.UTF_8))));
            args.add("orderId" + i + "=" + orderId.value());
            Path bodyFile = Files.writeString(runDir.resolve("body" + i + ".json"), body);
            Path messageFile = Files.writeString(runDir.resolve("message" + i + ".json"), message);
            args.add("body" + i + "=" + bodyFile);
            args.add("message" + i + "=" + messageFile);
        }
        args.add("prime=" + probe.equals("primed"));
        args.add("warm=" + (probe.equals("reference") ? 0 : warmCalls));
        args.add("queueUrl=" + queueUrl);
        args.add("queueArn=" + queueArn);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList());
        if (variant.equals("c1")) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-cp");
        command.add(pkg.classpath(probeDir));
        command.add(main.getName());
        int spawnIndex = command.size();
        command.add("0");
        command.addAll(args);

        ProcessBuilder pb = new ProcessBuilder(command).directory(pkg.dir().toFile())
                .redirectOutput(runDir.resolve("stdout.txt").toFile())
                .redirectError(runDir.resolve("stderr.txt").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("POWERTOOLS_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        env.putAll(baseEnv);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.equals("intake") ? "IntakeFunction" : "ConfirmationFunction");
        env.put("LAMBDA_TASK_ROOT", pkg.dir().toString());
        long spawn = System.nanoTime();
        command.set(spawnIndex, Long.toString(spawn));
        pb.command(command);
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(function + "/" + probe + " did not finish in 120 s; see " + runDir);
        }
        String stdout = Files.readString(runDir.resolve("stdout.txt"));
        String line = stdout.lines().filter(l -> l.startsWith(ProbeSupport.MARKER)).findFirst().orElseThrow(() ->
                new IllegalStateException(function + "/" + probe + " printed no result (exit " + process.exitValue() + "):\n"
                        + tail(runDir.resolve("stderr.txt")) + tail(runDir.resolve("stdout.txt"))));
        JsonNode r = ResultsLog.mapper().readTree(line.substring(ProbeSupport.MARKER.length()));
        if (!"ok".equals(r.path("outcome").asText())) {
            throw new IllegalStateException(function + "/" + probe + ": " + r.path("outcome").asText());
        }
        return new Run(r.path("jvmStartMs").asDouble(), r.path("initMs").asDouble(), r.path("primingMs").asDouble(),
                r.path("firstInvokeMs").asDouble(), r.path("secondInvokeMs").asDouble(),
                r.path("warmInvokeMs").isNumber() ? r.path("warmInvokeMs").asDouble() : Double.NaN);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")\n";
        }
    }

    private void print(Map<String, FunctionPackage> packages, Map<String, List<Run>> measured, ResultsLog results) {
        System.out.println();
        TextTable sizes = new TextTable("package", "zip KiB", "unpacked MiB", "jars", "classes");
        for (FunctionPackage p : packages.values()) {
            sizes.row(p.name(), p.zipBytes() / 1024.0, p.unpackedBytes() / (1024.0 * 1024.0), p.jars(), p.classes());
        }
        sizes.print(System.out);
        System.out.println();
        System.out.printf("medians of %d fresh JVMs, ms (JVM start = process spawn to main(); init = main() to handler built; "
                + "ratio = our init+1st / reference init+1st)%n", runs);
        TextTable t = new TextTable("function", "JIT", "JVM start", "init", "1st invoke", "init+1st", "2nd invoke", "total",
                "ref init", "ref 1st", "ref init+1st", "ratio");
        for (FunctionPackage p : packages.values()) {
            for (String variant : variants) {
                List<Run> ours = measured.get(key(p.name(), variant, "ours"));
                List<Run> ref = measured.get(key(p.name(), variant, "reference"));
                double oursInitFirst = Stats.median(ours.stream().map(Run::initPlusFirst).toList());
                double refInitFirst = ref == null ? Double.NaN : Stats.median(ref.stream().map(Run::initPlusFirst).toList());
                t.row(p.name(), variant.equals("c1") ? "C1 only" : "tiered",
                        Stats.median(ours.stream().map(Run::jvmStartMs).toList()),
                        Stats.median(ours.stream().map(Run::initMs).toList()),
                        Stats.median(ours.stream().map(Run::firstInvokeMs).toList()),
                        oursInitFirst,
                        Stats.median(ours.stream().map(Run::secondInvokeMs).toList()),
                        Stats.median(ours.stream().map(Run::total).toList()),
                        ref == null ? Double.NaN : Stats.median(ref.stream().map(Run::initMs).toList()),
                        ref == null ? Double.NaN : Stats.median(ref.stream().map(Run::firstInvokeMs).toList()),
                        refInitFirst, Stats.ratio(oursInitFirst, refInitFirst));
                ObjectNode rec = results.record("coldstart");
                rec.put("function", p.name());
                rec.put("variant", variant);
                rec.put("jvmArgs", jvmArgs);
                rec.put("runs", ours.size());
                rec.put("zipBytes", p.zipBytes());
                rec.put("unpackedBytes", p.unpackedBytes());
                rec.put("jars", p.jars());
                rec.put("classes", p.classes());
                rec.put("jvmStartMs", Stats.median(ours.stream().map(Run::jvmStartMs).toList()));
                rec.put("initMs", Stats.median(ours.stream().map(Run::initMs).toList()));
                rec.put("firstInvokeMs", Stats.median(ours.stream().map(Run::firstInvokeMs).toList()));
                rec.put("initPlusFirstMs", oursInitFirst);
                rec.put("secondInvokeMs", Stats.median(ours.stream().map(Run::secondInvokeMs).toList()));
                rec.put("totalMs", Stats.median(ours.stream().map(Run::total).toList()));
                if (ref != null) {
                    rec.put("referenceInitMs", Stats.median(ref.stream().map(Run::initMs).toList()));
                    rec.put("referenceFirstInvokeMs", Stats.median(ref.stream().map(Run::firstInvokeMs).toList()));
                    rec.put("referenceInitPlusFirstMs", refInitFirst);
                    rec.put("ratioToReference", Stats.ratio(oursInitFirst, refInitFirst));
                }
                rec.putPOJO("initMsAll", ours.stream().map(Run::initMs).toList());
                rec.putPOJO("firstInvokeMsAll", ours.stream().map(Run::firstInvokeMs).toList());
                results.append(rec);
            }
        }
        t.print(System.out);
        if (!noPriming) {
            printPriming(packages, measured, results);
        }
    }

    /**
     * What SnapStart priming buys: the first call after init and priming against the first call without priming and
     * a warm call (the median of the JVM's last {@code --warm-calls} calls), each as the median over the JVMs with
     * its spread (min-max). On Lambda the priming runs before the snapshot, so a restored function pays neither init
     * nor priming; here they are shown so that the cost moved out of the first call is visible.
     */
    private void printPriming(Map<String, FunctionPackage> packages, Map<String, List<Run>> measured, ResultsLog results) {
        System.out.println();
        System.out.printf("SnapStart priming: medians [min-max] of %d fresh JVMs, ms; goal: primed 1st within 2x warm%n", runs);
        TextTable t = new TextTable("function", "JIT", "init", "priming", "1st unprimed", "1st primed", "warm (unprimed JVMs)",
                "warm (primed JVMs)", "primed 1st / warm");
        for (FunctionPackage p : packages.values()) {
            for (String variant : variants) {
                List<Run> ours = measured.get(key(p.name(), variant, "ours"));
                List<Run> primed = measured.get(key(p.name(), variant, "primed"));
                double warm = Stats.median(primed.stream().map(Run::warmInvokeMs).toList());
                double primedFirst = Stats.median(primed.stream().map(Run::firstInvokeMs).toList());
                t.row(p.name(), variant.equals("c1") ? "C1 only" : "tiered",
                        spread(primed, Run::initMs), spread(primed, Run::primingMs),
                        spread(ours, Run::firstInvokeMs), spread(primed, Run::firstInvokeMs),
                        spread(ours, Run::warmInvokeMs), spread(primed, Run::warmInvokeMs),
                        Stats.ratio(primedFirst, warm));
                ObjectNode rec = results.record("coldstart-priming");
                rec.put("function", p.name());
                rec.put("variant", variant);
                rec.put("jvmArgs", jvmArgs);
                rec.put("runs", primed.size());
                rec.put("warmCalls", warmCalls);
                rec.putPOJO("initMsAll", primed.stream().map(Run::initMs).toList());
                rec.putPOJO("primingMsAll", primed.stream().map(Run::primingMs).toList());
                rec.putPOJO("firstInvokeUnprimedMsAll", ours.stream().map(Run::firstInvokeMs).toList());
                rec.putPOJO("firstInvokePrimedMsAll", primed.stream().map(Run::firstInvokeMs).toList());
                rec.putPOJO("warmInvokeMsAll", primed.stream().map(Run::warmInvokeMs).toList());
                rec.put("primedFirstToWarm", Stats.ratio(primedFirst, warm));
                results.append(rec);
            }
        }
        t.print(System.out);
    }

    private static String spread(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        List<Double> values = runs.stream().map(r -> f.applyAsDouble(r)).toList();
        return String.format(java.util.Locale.ROOT, "%.1f [%.1f-%.1f]", Stats.median(values), Stats.min(values), Stats.max(values));
    }

    private static String key(String function, String variant, String probe) {
        return function + "/" + variant + "/" + probe;
    }

    /** The probe classes, copied out of this jar: the probe JVM must not see the benchmark's own classpath. */
    private static void writeProbeClasses(Path dir) throws IOException {
        for (Class<?> c : PROBE_CLASSES) {
            String resource = c.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = ColdStartCommand.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource);
                }
                Files.copy(in, target);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
