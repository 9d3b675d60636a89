package dev.orderpipeline.confirmation;

import dev.orderpipeline.domain.confirmation.BatchResult;
import java.time.Duration;
import dev.orderpipeline.aws.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * EMF metrics through Powertools' functional API (no AspectJ weaving). Zero counts are emitted too, so alarms and
 * dashboards see a value every batch rather than missing data.
 */
final class PowertoolsConfirmationMetrics implements ConfirmationMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsConfirmationMetrics.class);
    static final String DEFAULT_NAMESPACE = "OrderPipeline";

    private final Metrics metrics;
    private final boolean enabled;

    PowertoolsConfirmationMetrics(Metrics metrics, boolean enabled) {
        this.metrics = metrics;
        this.enabled = enabled;
    }

    /**
     * Honours {@code POWERTOOLS_METRICS_DISABLED}, and falls back to a default namespace when
     * {@code POWERTOOLS_METRICS_NAMESPACE} is unset (Powertools would otherwise refuse to flush).
     */
    static PowertoolsConfirmationMetrics from(Env env) {
        Metrics metrics = MetricsFactory.getMetricsInstance();
        if (env.optional("POWERTOOLS_METRICS_NAMESPACE").isEmpty()) {
            metrics.setNamespace(DEFAULT_NAMESPACE);
        }
        return new PowertoolsConfirmationMetrics(metrics,
                !env.optional("POWERTOOLS_METRICS_DISABLED").map("true"::equalsIgnoreCase).orElse(false));
    }

    /** Best effort: a metrics failure must never turn a confirmed batch into a retried one. */
    @Override
    public void record(BatchResult result) {
        if (!enabled) {
            return;
        }
        try {
            emit(result);
        } catch (RuntimeException e) {
            LOG.warn("metrics not recorded: {}", e.getMessage());
        }
    }

    private void emit(BatchResult result) {
        metrics.addMetric("OrdersConfirmed", result.confirmed(), MetricUnit.COUNT);
        metrics.addMetric("DuplicateDeliveries", result.duplicateDeliveries(), MetricUnit.COUNT);
        metrics.addMetric("IdempotencyConflicts", result.conflicts(), MetricUnit.COUNT);
        metrics.addMetric("PoisonMessages", result.poisonMessages(), MetricUnit.COUNT);
        metrics.addMetric("PublishRetries", result.publishRetries(), MetricUnit.COUNT);
        metrics.addMetric("BatchItemFailures", result.failedMessageIds().size(), MetricUnit.COUNT);
        for (Duration latency : result.confirmationLatencies()) {
            metrics.addMetric("ConfirmationLatency", latency.toMillis(), MetricUnit.MILLISECONDS);
        }
        metrics.flush();
    }
}
