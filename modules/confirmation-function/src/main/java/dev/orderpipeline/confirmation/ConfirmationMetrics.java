package dev.orderpipeline.confirmation;

import dev.orderpipeline.domain.confirmation.BatchResult;

/** What the confirmation function counts per batch. Powertools EMF in production, a recorder in tests. */
public interface ConfirmationMetrics {
    void record(BatchResult result);
}
