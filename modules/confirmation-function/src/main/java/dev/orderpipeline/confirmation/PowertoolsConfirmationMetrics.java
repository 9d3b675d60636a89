package dev.orderpipeline.confirmation;

import dev.orderpipeline.domain.confirmation.BatchResult;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * EMF metrics through Powertools' functional API (no AspectJ weaving). Zero counts are emitted too, so alarms and
 * dashboards see a value every batch rather than missing data.
 */
final class PowertoolsConfirmationMetrics implements ConfirmationMetrics {
    private final Metrics metrics;

    PowertoolsConfirmationMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void record(BatchResult result) {
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
