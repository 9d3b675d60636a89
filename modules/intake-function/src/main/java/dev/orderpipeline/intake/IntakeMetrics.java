package dev.orderpipeline.intake;

/** What the intake function counts. Powertools EMF in production, a recorder in tests. */
public interface IntakeMetrics {
    void accepted();

    void rejected(ProblemType reason);
}
