package dev.orderpipeline.bench.jmh;

import dev.orderpipeline.bench.common.SampleOrders;
import dev.orderpipeline.domain.json.OrderConfirmedJson;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-order JSON work of each stage, for a typical (3-line) and a maximal (100-line) order: intake validates the
 * body and writes the queue message; confirmation reads and re-validates the message, fingerprints the submission and
 * writes the event detail. Annotation defaults are a smoke run; docs/benchmarks.md gives the full settings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class JsonBenchmarks {
    @Param({"3", "100"})
    public int lines;

    private byte[] body;
    private OrderSubmission submission;
    private PendingOrder pending;
    private String message;
    private OrderConfirmed event;

    @Setup
    public void setUp() {
        body = SampleOrders.body(42, lines).getBytes(StandardCharsets.UTF_8);
        submission = OrderSubmissionJson.read(body);
        pending = new PendingOrder(OrderId.random(), Instant.now(), submission);
        message = OrderMessageJson.write(pending);
        event = OrderConfirmed.of(new ConfirmedOrder(pending, new OrderNumber(123_456), Instant.now(),
                OrderFingerprint.of(submission)));
    }

    /** Intake: strict parse + validation of the POST body. */
    @Benchmark
    public OrderSubmission submissionRead() {
        return OrderSubmissionJson.read(body);
    }

    /** Intake: the queue message. */
    @Benchmark
    public String messageWrite() {
        return OrderMessageJson.write(pending);
    }

    /** Confirmation: read and re-validate the queue message. */
    @Benchmark
    public PendingOrder messageRead() {
        return OrderMessageJson.read(message);
    }

    /** Confirmation: the idempotency fingerprint (SHA-256 over the content). */
    @Benchmark
    public String fingerprint() {
        return OrderFingerprint.of(submission);
    }

    /** Confirmation: the OrderConfirmed detail. */
    @Benchmark
    public String confirmedWrite() {
        return OrderConfirmedJson.write(event);
    }
}
