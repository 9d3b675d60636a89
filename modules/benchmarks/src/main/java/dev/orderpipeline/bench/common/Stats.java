package dev.orderpipeline.bench.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small order statistics for short series (cold-start runs, repeated cells). */
public final class Stats {
    private Stats() {
    }

    /** The median; for an even count the mean of the two middle values. */
    public static double median(List<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = sorted(values);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    public static double min(List<? extends Number> values) {
        return sorted(values).get(0);
    }

    public static double max(List<? extends Number> values) {
        List<Double> sorted = sorted(values);
        return sorted.get(sorted.size() - 1);
    }

    public static double mean(List<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double sum = 0;
        for (Number v : values) {
            sum += v.doubleValue();
        }
        return sum / values.size();
    }

    /** Events per second; 0 for an empty interval. */
    public static double perSecond(long events, long nanos) {
        return nanos <= 0 ? 0 : events * 1_000_000_000.0 / nanos;
    }

    /** {@code a / b}, or NaN when b is 0 (printed as "n/a"). */
    public static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private static List<Double> sorted(List<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values.size());
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        return sorted;
    }
}
