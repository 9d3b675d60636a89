package dev.orderpipeline.intake;

/**
 * For {@code bench coldstart} only: runs the handler's SnapStart hook as Lambda does before a snapshot. A plain JVM
 * has no CRaC checkpoint to trigger it, and the hook is package-private, hence this class in the function's package
 * (copied beside the probe classes onto the function's own classpath).
 */
public final class IntakePrimingAccess {
    private IntakePrimingAccess() {
    }

    public static void beforeCheckpoint(IntakeHandler handler) {
        handler.priming().beforeCheckpoint(null);
    }
}
