package dev.orderpipeline.intake;

import dev.orderpipeline.aws.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * EMF metrics through Powertools' functional API (no AspectJ weaving: the weaver adds jar size and init time).
 * {@code OrdersRejected} is emitted twice: as a total, and in its own metrics context with a {@code Reason} dimension.
 */
final class PowertoolsIntakeMetrics implements IntakeMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsIntakeMetrics.class);
    static final String DEFAULT_NAMESPACE = "OrderPipeline";

    private final Metrics metrics;
    private final boolean enabled;

    PowertoolsIntakeMetrics(Metrics metrics, boolean enabled) {
        this.metrics = metrics;
        this.enabled = enabled;
    }

    /**
     * Honours {@code POWERTOOLS_METRICS_DISABLED}, and falls back to a default namespace when
     * {@code POWERTOOLS_METRICS_NAMESPACE} is unset (Powertools would otherwise refuse to flush).
     */
    static PowertoolsIntakeMetrics from(Env env) {
        Metrics metrics = MetricsFactory.getMetricsInstance();
        if (env.optional("POWERTOOLS_METRICS_NAMESPACE").isEmpty()) {
            metrics.setNamespace(DEFAULT_NAMESPACE);
        }
        return new PowertoolsIntakeMetrics(metrics, !env.optional("POWERTOOLS_METRICS_DISABLED").map("true"::equalsIgnoreCase).orElse(false));
    }

    @Override
    public void accepted() {
        record(() -> metrics.addMetric("OrdersAccepted", 1, MetricUnit.COUNT));
    }

    @Override
    public void rejected(ProblemType reason) {
        // the total in the invocation's own context (so its flush is never empty), the breakdown in its own context
        record(() -> {
            metrics.addMetric("OrdersRejected", 1, MetricUnit.COUNT);
            metrics.flushMetrics(m -> {
                m.addDimension("Reason", reason.slug());
                m.addMetric("OrdersRejected", 1, MetricUnit.COUNT);
            });
        });
    }

    void flush() {
        record(metrics::flush);
    }

    /** Metrics are best effort: a metrics problem must never change the answer a client gets. */
    private void record(Runnable action) {
        if (!enabled) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("metrics not recorded: {}", e.getMessage());
        }
    }
}
