package dev.orderpipeline.intake;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * EMF metrics through Powertools' functional API (no AspectJ weaving: the weaver adds jar size and init time).
 * {@code OrdersRejected} is emitted twice: as a total, and in its own metrics context with a {@code Reason} dimension.
 */
final class PowertoolsIntakeMetrics implements IntakeMetrics {
    private final Metrics metrics;

    PowertoolsIntakeMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void accepted() {
        metrics.addMetric("OrdersAccepted", 1, MetricUnit.COUNT);
    }

    @Override
    public void rejected(ProblemType reason) {
        // the total in the invocation's own context (so its flush is never empty), the breakdown in its own context
        metrics.addMetric("OrdersRejected", 1, MetricUnit.COUNT);
        metrics.flushMetrics(m -> {
            m.addDimension("Reason", reason.slug());
            m.addMetric("OrdersRejected", 1, MetricUnit.COUNT);
        });
    }

    void flush() {
        metrics.flush();
    }
}
