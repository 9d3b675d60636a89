package dev.orderpipeline.bench.cost;

import java.util.ArrayList;
import java.util.List;

/**
 * Cost per million orders from the calls each order makes (docs/architecture.md, "Calls and capacity per order"):
 * intake is one API request, one invocation and one SendMessage (+ with an Idempotency-Key, one consistent GetItem and
 * the key's conditional PutItem);
 * confirmation is one invocation per batch, SQS receive and delete per batch, the order's write (strict: one
 * TransactWriteItems of 3 items; block: one conditional PutItem, plus one UpdateItem per block) and a tenth of a
 * PutEvents call, i.e. one event per order.
 */
public final class CostModel {
    /**
     * The Idempotency-Key claim: one standard (not transactional) conditional PutItem of an item well under 1 KB
     * (IDEMPOTENCY#id, kind, id, fingerprint, two times: about 250 bytes), 1 WRU; a claim refused by its condition costs the same.
     */
    static final double IDEMPOTENCY_CLAIM_WRU = 1;

    private CostModel() {
    }

    /**
     * @param orderItemBytes      DynamoDB size of the stored order item (names + values)
     * @param intakeMs            billed duration of one intake invocation
     * @param confirmationBatchMs billed duration of one confirmation invocation (one batch)
     * @param batchSize           average messages per confirmation invocation (10 under load, ~1 when idle)
     * @param lostRacesPerOrder   strict mode: extra (cancelled) transactions per order under contention
     * @param coldStartFraction   share of invocations that start a new instance and pay {@code initMs}
     */
    public record Inputs(String numberMode, int blockSize, double idempotencyKeyFraction, double orderItemBytes,
                         double messageBytes, double eventBytes, double intakeMs, double confirmationBatchMs,
                         double batchSize, int memoryMb, double lostRacesPerOrder, double coldStartFraction,
                         double intakeInitMs, double confirmationInitMs, double logBytesPerOrder, boolean archive) {
    }

    /** One row of the bill: how many units one order uses, and what a million orders cost. */
    public record Line(String group, String item, double unitsPerOrder, String unit, double pricePerUnit) {
        public double costPerMillionOrders() {
            return unitsPerOrder * pricePerUnit * 1e6;
        }
    }

    public static List<Line> lines(Inputs in, Prices p) {
        List<Line> lines = new ArrayList<>();
        double gb = in.memoryMb() / 1024.0;
        double batches = 1.0 / in.batchSize();

        lines.add(new Line("pipeline", "API Gateway HTTP API requests", chunks(1, 512 * 1024), "request", p.apiRequest()));
        lines.add(new Line("pipeline", "Lambda requests (intake 1 + confirmation 1/batch)", 1 + batches, "request", p.lambdaRequest()));
        double gbSeconds = gb * (billedMs(in.intakeMs()) + batches * billedMs(in.confirmationBatchMs())) / 1000.0
                + gb * in.coldStartFraction() * (billedMs(in.intakeInitMs()) + batches * billedMs(in.confirmationInitMs())) / 1000.0;
        lines.add(new Line("pipeline", "Lambda compute (" + in.memoryMb() + " MB)", gbSeconds, "GB-s", p.lambdaGbSecond()));
        double sqs = chunks(in.messageBytes(), 64 * 1024) + 2 * batches; // SendMessage; ReceiveMessage + DeleteMessageBatch per batch
        lines.add(new Line("pipeline", "SQS requests (send 1, receive + delete per batch)", sqs, "request", p.sqsRequest()));
        lines.add(new Line("pipeline", "block".equals(in.numberMode())
                ? "DynamoDB writes (order: conditional PutItem, 1 WRU per KB; counter ADD once per block)"
                : "DynamoDB writes (order transaction: 3 items, 2 WRU per KB each)", wruPerOrder(in), "WRU", p.dynamoDbWru()));
        lines.add(new Line("pipeline", "DynamoDB writes (Idempotency-Key claim: conditional PutItem, < 1 KB)",
                in.idempotencyKeyFraction() * IDEMPOTENCY_CLAIM_WRU, "WRU", p.dynamoDbWru()));
        lines.add(new Line("pipeline", "DynamoDB reads (idempotency-key GetItem, consistent)",
                in.idempotencyKeyFraction() * Math.ceil(Math.max(1, in.orderItemBytes()) / 4096.0), "RRU", p.dynamoDbRru()));
        lines.add(new Line("pipeline", "EventBridge events (PutEvents entries, per 64 KB)", chunks(in.eventBytes(), 64 * 1024), "event", p.eventBridgeEvent()));
        if (in.archive()) {
            lines.add(new Line("pipeline", "EventBridge archive (events archived)", in.eventBytes() / 1e9, "GB", p.eventBridgeArchiveGb()));
        }
        lines.add(new Line("logs", "CloudWatch Logs ingestion (function logs + EMF metrics)", in.logBytesPerOrder() / 1e9, "GB", p.logsIngestGb()));
        lines.add(new Line("example subscriber", "SQS: rule delivery 1 + receive/delete per 10", chunks(in.eventBytes() + 400, 64 * 1024) + 2 / 10.0, "request", p.sqsRequest()));
        return lines;
    }

    /**
     * Write request units per order. Strict: one transaction of the order item, its {@code NUMBER#n} guard and the
     * counter, each item 2 WRU per started KB, and each lost counter race one more (cancelled, billed) transaction.
     * Block: one standard conditional {@code PutItem} of the order item, 1 WRU per started KB, plus the counter's
     * {@code ADD} (1 WRU) shared by the block's numbers; no guard, and no counter race to lose.
     */
    static double wruPerOrder(Inputs in) {
        double orderKb = Math.ceil(Math.max(1, in.orderItemBytes()) / 1024.0);
        if ("block".equals(in.numberMode())) {
            return orderKb + 1.0 / in.blockSize();
        }
        double transaction = 2 * orderKb + 2 + 2;
        return transaction * (1 + in.lostRacesPerOrder());
    }

    public static double total(List<Line> lines, String group) {
        return lines.stream().filter(l -> group == null || l.group().equals(group)).mapToDouble(Line::costPerMillionOrders).sum();
    }

    /** Lambda bills duration rounded up to the next millisecond. */
    static double billedMs(double ms) {
        return Math.ceil(ms);
    }

    static double chunks(double bytes, double chunk) {
        return Math.max(1, Math.ceil(bytes / chunk));
    }
}
