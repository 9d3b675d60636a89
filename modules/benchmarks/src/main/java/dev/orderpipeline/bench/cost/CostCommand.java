package dev.orderpipeline.bench.cost;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.bench.common.BenchPaths;
import dev.orderpipeline.bench.common.CommonOptions;
import dev.orderpipeline.bench.common.ResultsLog;
import dev.orderpipeline.bench.common.SampleOrders;
import dev.orderpipeline.bench.common.TextTable;
import dev.orderpipeline.domain.json.OrderConfirmedJson;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench cost}: what a million orders cost on AWS, from the calls per order and measured durations. */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = "Cost per million orders on AWS (us-east-1 list prices from a data file, --prices for others) from "
                + "the calls each order makes and the durations measured by e2e / confirm / coldstart (or given as flags).")
public final class CostCommand implements Callable<Integer> {
    @Option(names = "--number-mode", description = "strict or block (default: ${DEFAULT-VALUE}).")
    String numberMode = "strict";

    @Option(names = "--block-size", description = "Block mode: numbers per counter write (default: ${DEFAULT-VALUE}).")
    int blockSize = 100;

    @Option(names = "--lines", description = "Lines per order, for item, message and event sizes (default: ${DEFAULT-VALUE}).")
    int lines = 3;

    @Option(names = "--idempotency-key-fraction", description = "Share of POSTs with an Idempotency-Key (one GetItem and one conditional PutItem each) (default: ${DEFAULT-VALUE}).")
    double idempotencyKeyFraction = 1.0;

    @Option(names = "--batch-size", description = "Average messages per confirmation invocation: 10 under load, ~1 at a trickle (default: ${DEFAULT-VALUE}).")
    double batchSize = 10;

    @Option(names = "--intake-ms", description = "Billed ms per intake invocation (default: the POST p50 of the latest unsaturated e2e step, else 20).")
    Double intakeMs;

    @Option(names = "--confirmation-batch-ms", description = "Billed ms per confirmation invocation (default: the latest confirm batch p50 for batch 10, 1 worker, this mode, else 50).")
    Double confirmationBatchMs;

    @Option(names = "--memory-mb", description = "Function memory (default: MemorySize from template.yaml, else 1024).")
    Integer memoryMb;

    @Option(names = "--lost-races-per-order", description = "Strict mode: extra cancelled transactions per order under contention (default: ${DEFAULT-VALUE}; see bench confirm).")
    double lostRacesPerOrder = 0;

    @Option(names = "--cold-start-fraction", description = "Share of invocations that pay an init (billed since Aug 2025 for on-demand managed runtimes) (default: ${DEFAULT-VALUE}).")
    double coldStartFraction = 0;

    @Option(names = "--intake-init-ms", description = "Default: the latest coldstart init+1st for intake (C1), else 1500.")
    Double intakeInitMs;

    @Option(names = "--confirmation-init-ms", description = "Default: the latest coldstart init+1st for confirmation (C1), else 1500.")
    Double confirmationInitMs;

    @Option(names = "--log-bytes-per-order", description = "CloudWatch Logs bytes per order (default: the latest e2e measurement with --pipeline-logs info plus ~600 B of EMF metrics, else 1500).")
    Double logBytesPerOrder;

    @Option(names = "--no-archive", description = "Leave out the EventBridge archive.")
    boolean noArchive;

    @Option(names = "--prices", description = "Prices file: a copy of modules/benchmarks/src/main/resources/"
            + "prices-us-east-1.json with other prices, each with its unit, source and date (default: that file, built in).")
    Path pricesFile;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        ResultsLog results = common.resultsLog();
        Map<String, String> sources = new LinkedHashMap<>();
        Sizes sizes = Sizes.of(lines);

        double intake = pick(intakeMs, "intake ms", sources,
                () -> results.latest("e2e", n -> !"baseline".equals(n.path("side").asText()) && n.path("settings").path("lines").asInt(3) == lines && "ok".equals(n.path("verdict").asText()))
                        .map(n -> n.path("postMs").path("p50").asDouble())
                        .filter(v -> v > 0).map(v -> new Picked(v, "e2e POST p50, latest unsaturated step (includes the local HTTP hop)")),
                20, "assumed");
        double confirmation = pick(confirmationBatchMs, "confirmation ms per batch", sources,
                () -> results.latest("confirm", n -> n.path("batchSize").asInt() == 10 && n.path("workers").asInt() == 1
                                && numberMode.equals(n.path("mode").asText()))
                        .map(n -> new Picked(n.path("batchP50Ms").asDouble(), "confirm batch p50 (" + numberMode + ", batch 10, 1 worker)")),
                50, "assumed");
        double intakeInit = pick(intakeInitMs, "intake init ms", sources,
                () -> results.latest("coldstart", n -> "intake".equals(n.path("function").asText()) && "c1".equals(n.path("variant").asText()))
                        .map(n -> new Picked(n.path("jvmStartMs").asDouble() + n.path("initPlusFirstMs").asDouble(), "coldstart (C1) JVM start + init + 1st")),
                1500, "assumed");
        double confirmationInit = pick(confirmationInitMs, "confirmation init ms", sources,
                () -> results.latest("coldstart", n -> "confirmation".equals(n.path("function").asText()) && "c1".equals(n.path("variant").asText()))
                        .map(n -> new Picked(n.path("jvmStartMs").asDouble() + n.path("initPlusFirstMs").asDouble(), "coldstart (C1) JVM start + init + 1st")),
                1500, "assumed");
        double logBytes = pick(logBytesPerOrder, "log bytes per order", sources,
                () -> results.latest("e2e", n -> !"baseline".equals(n.path("side").asText()) && n.path("pipelineLogBytesPerOrder").asDouble() > 0)
                        .map(n -> new Picked(n.path("pipelineLogBytesPerOrder").asDouble() + 600, "e2e pipeline.log bytes/order + 600 B EMF (metrics are off locally)")),
                1500, "assumed");
        int memory = memoryMb != null ? memoryMb : templateMemory().orElse(1024);
        sources.put("memory MB", memoryMb != null ? "flag" : templateMemory().isPresent() ? "template.yaml MemorySize" : "assumed");

        CostModel.Inputs in = new CostModel.Inputs(numberMode, blockSize, idempotencyKeyFraction, sizes.orderItemBytes,
                sizes.messageBytes, sizes.eventBytes, intake, confirmation, batchSize, memory, lostRacesPerOrder,
                coldStartFraction, intakeInit, confirmationInit, logBytes, !noArchive);
        Prices prices = pricesFile != null ? Prices.read(pricesFile) : Prices.usEast1();
        List<CostModel.Line> bill = CostModel.lines(in, prices);

        TextTable inputs = new TextTable("input", "value", "source");
        inputs.row("number mode", numberMode + (numberMode.equals("block") ? " (block " + blockSize + ")" : ""), "flag");
        inputs.row("order item / queue message / event", String.format("%.0f / %.0f / %.0f B", sizes.orderItemBytes, sizes.messageBytes, sizes.eventBytes),
                this.lines + "-line sample order");
        inputs.row("intake billed ms", Math.ceil(intake), sources.get("intake ms"));
        inputs.row("confirmation billed ms per batch", Math.ceil(confirmation), sources.get("confirmation ms per batch"));
        inputs.row("messages per batch", batchSize, "flag");
        inputs.row("memory MB", memory, sources.get("memory MB"));
        inputs.row("cold-start fraction", coldStartFraction, "flag");
        inputs.row("log bytes per order", logBytes, sources.get("log bytes per order"));
        inputs.row("prices", prices.checked(), "the file gives each price's source");
        inputs.print(System.out);
        System.out.println();

        TextTable t = new TextTable("item", "per order", "unit", "USD / unit", "USD per 1M orders");
        for (CostModel.Line l : bill) {
            t.row(l.group().equals("pipeline") ? l.item() : "(" + l.group() + ") " + l.item(), l.unitsPerOrder(), l.unit(),
                    String.format("%.3g", l.pricePerUnit()), l.costPerMillionOrders());
        }
        double pipeline = CostModel.total(bill, "pipeline");
        double logs = CostModel.total(bill, "logs");
        double subscriber = CostModel.total(bill, "example subscriber");
        t.row("total: pipeline", "", "", "", pipeline);
        t.row("total: pipeline + logs", "", "", "", pipeline + logs);
        t.row("total: + example subscriber", "", "", "", pipeline + logs + subscriber);
        t.print(System.out);

        ObjectNode rec = results.record("cost");
        rec.put("numberMode", numberMode);
        rec.put("blockSize", blockSize);
        rec.put("lines", this.lines);
        rec.put("batchSize", batchSize);
        rec.put("intakeMs", intake);
        rec.put("confirmationBatchMs", confirmation);
        rec.put("memoryMb", memory);
        rec.put("logBytesPerOrder", logBytes);
        rec.put("pipelineUsdPerMillion", pipeline);
        rec.put("logsUsdPerMillion", logs);
        rec.put("subscriberUsdPerMillion", subscriber);
        rec.put("pricesAsOf", prices.checked());
        ArrayNode items = rec.putArray("lines");
        for (CostModel.Line l : bill) {
            items.addObject().put("group", l.group()).put("item", l.item()).put("unitsPerOrder", l.unitsPerOrder())
                    .put("unit", l.unit()).put("pricePerUnit", l.pricePerUnit()).put("usdPerMillion", l.costPerMillionOrders());
        }
        results.append(rec);
        System.out.println("appended to " + results.file());
        return 0;
    }

    private record Picked(double value, String source) {
    }

    private static double pick(Double flag, String name, Map<String, String> sources,
                               java.util.function.Supplier<Optional<Picked>> measured, double fallback, String fallbackSource) {
        if (flag != null) {
            sources.put(name, "flag");
            return flag;
        }
        Optional<Picked> m = measured.get();
        if (m.isPresent()) {
            sources.put(name, m.get().source() + " from results.jsonl");
            return m.get().value();
        }
        sources.put(name, fallbackSource);
        return fallback;
    }

    /** MemorySize in template.yaml (Globals, or the one value all functions share). */
    static Optional<Integer> templateMemory() {
        Path template = BenchPaths.repoRoot().resolve("template.yaml");
        try {
            Matcher m = Pattern.compile("(?m)^\\s*MemorySize:\\s*(\\d+)").matcher(Files.readString(template));
            List<Integer> values = new ArrayList<>();
            while (m.find()) {
                values.add(Integer.parseInt(m.group(1)));
            }
            return values.isEmpty() || values.stream().distinct().count() > 1 ? Optional.empty() : Optional.of(values.get(0));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Sizes of what one order writes, sends and publishes, from a real sample through the production JSON code. */
    record Sizes(double orderItemBytes, double messageBytes, double eventBytes) {
        static Sizes of(int lines) {
            OrderSubmission s = OrderSubmissionJson.read(SampleOrders.body(1, lines).getBytes(StandardCharsets.UTF_8));
            PendingOrder pending = new PendingOrder(OrderId.random(), Instant.now(), s);
            ConfirmedOrder confirmed = new ConfirmedOrder(pending, new OrderNumber(1_000_000), Instant.now(), OrderFingerprint.of(s));
            String order = OrderJson.write(OrderSubmissionJson.write(s));
            // DynamoDB item size: attribute names plus values (strings in UTF-8, numbers about 1 byte per 2 digits + 1)
            double item = attr("pk", "ORDER#" + pending.orderId()) + attr("kind", "ORDER") + attr("orderId", pending.orderId().value())
                    + "orderNumber".length() + 5 + attr("orderNumberText", confirmed.orderNumber().toString())
                    + attr("status", "CONFIRMED") + attr("fingerprint", confirmed.fingerprint())
                    + attr("submittedAt", pending.submittedAt().toString()) + attr("confirmedAt", confirmed.confirmedAt().toString())
                    + attr("order", order);
            String message = OrderMessageJson.write(pending);
            double messageBytes = utf8(message) + 3 * (12 + 6 + 40); // three String message attributes
            String detail = OrderConfirmedJson.write(OrderConfirmed.of(confirmed));
            double eventBytes = utf8(detail) + utf8("order-pipeline") + utf8("OrderConfirmed");
            return new Sizes(item, messageBytes, eventBytes);
        }

        private static double attr(String name, String value) {
            return utf8(name) + utf8(value);
        }

        private static double utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
