package dev.orderpipeline.bench.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void median_whenOddCount_isTheMiddleValue() {
        assertThat(Stats.median(List.of(9, 1, 5))).isEqualTo(5.0);
    }

    @Test
    void median_whenEvenCount_isTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void median_whenEmpty_refuses() {
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void perSecond_whenOneSecond_isTheCount() {
        assertThat(Stats.perSecond(250, 1_000_000_000L)).isEqualTo(250.0);
        assertThat(Stats.perSecond(250, 0)).isZero();
    }

    @Test
    void ratio_whenDenominatorZero_isNaN() {
        assertThat(Stats.ratio(1, 0)).isNaN();
        assertThat(Stats.ratio(1, 4)).isEqualTo(0.25);
    }

    @Test
    void latencyStats_whenUniformMillis_reportsPercentilesWithinHistogramPrecision() {
        LatencyStats stats = new LatencyStats();
        for (int ms = 1; ms <= 100; ms++) {
            stats.recordNanos(ms * 1_000_000L);
        }
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.p50()).isCloseTo(50.0, within(0.1));
        assertThat(stats.p99()).isCloseTo(99.0, within(0.1));
        assertThat(stats.maxMillis()).isCloseTo(100.0, within(0.1));
    }

    @Test
    void latencyStats_whenEmpty_reportsZeros() {
        assertThat(new LatencyStats().summary()).isEqualTo(new LatencyStats.Summary(0, 0, 0, 0, 0, 0));
    }

    @Test
    void sampleOrders_whenSameIndex_areIdenticalAndValidJsonShape() {
        assertThat(SampleOrders.body(7, 3)).isEqualTo(SampleOrders.body(7, 3)).startsWith("{\"customerId\":\"bench-7\"");
        assertThatThrownBy(() -> SampleOrders.body(1, 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
