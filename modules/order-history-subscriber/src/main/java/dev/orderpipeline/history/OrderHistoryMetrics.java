package dev.orderpipeline.history;

import dev.orderpipeline.aws.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** EMF metrics through Powertools' functional API, as the other functions emit them; best effort. */
class OrderHistoryMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(OrderHistoryMetrics.class);

    private final Metrics metrics;
    private final boolean enabled;

    OrderHistoryMetrics(Metrics metrics, boolean enabled) {
        this.metrics = metrics;
        this.enabled = enabled;
    }

    static OrderHistoryMetrics from(Env env) {
        boolean disabled = env.optional("POWERTOOLS_METRICS_DISABLED").map("true"::equalsIgnoreCase).orElse(false);
        if (disabled) {
            return new OrderHistoryMetrics(null, false);
        }
        Metrics metrics = MetricsFactory.getMetricsInstance();
        if (env.optional("POWERTOOLS_METRICS_NAMESPACE").isEmpty()) {
            metrics.setNamespace("OrderPipeline");
        }
        return new OrderHistoryMetrics(metrics, true);
    }

    void record(OrderHistory.BatchResult result) {
        if (!enabled) {
            return;
        }
        try {
            metrics.addMetric("HistoryRecorded", result.recorded(), MetricUnit.COUNT);
            metrics.addMetric("HistoryDuplicateEvents", result.duplicates(), MetricUnit.COUNT);
            metrics.addMetric("HistoryPoisonEvents", result.poison(), MetricUnit.COUNT);
            metrics.addMetric("HistoryBatchItemFailures", result.failedMessageIds().size(), MetricUnit.COUNT);
            metrics.flush();
        } catch (RuntimeException e) {
            LOG.warn("metrics not recorded: {}", e.getMessage());
        }
    }
}
