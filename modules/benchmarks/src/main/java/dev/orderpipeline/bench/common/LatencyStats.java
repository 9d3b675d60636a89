package dev.orderpipeline.bench.common;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies recorded in microseconds into an HdrHistogram (3 significant digits, auto-resizing), safe to record
 * from many threads at once. Percentiles are reported in milliseconds.
 *
 * <p>Callers measure from the <em>scheduled</em> start of an operation, not from when it was actually issued, so a
 * stalled system shows up in the tail instead of silently sending less (coordinated omission).
 */
public final class LatencyStats {
    private final Histogram histogram = new ConcurrentHistogram(3);

    public LatencyStats() {
        histogram.setAutoResize(true);
    }

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    public void recordMillis(double millis) {
        histogram.recordValue(Math.max(0, Math.round(millis * 1000)));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at {@code percentile} (0..100) in ms; 0 when nothing was recorded. */
    public double percentileMillis(double percentile) {
        if (histogram.getTotalCount() == 0) {
            return 0;
        }
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double p50() {
        return percentileMillis(50);
    }

    public double p95() {
        return percentileMillis(95);
    }

    public double p99() {
        return percentileMillis(99);
    }

    public double maxMillis() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
    }

    public double meanMillis() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMean() / 1000.0;
    }

    public Summary summary() {
        return new Summary(count(), p50(), p95(), p99(), maxMillis(), meanMillis());
    }

    /** A snapshot of the figures a report needs, in ms. */
    public record Summary(long count, double p50, double p95, double p99, double max, double mean) {
    }
}
