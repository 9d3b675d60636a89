package dev.orderpipeline.confirmation;

/**
 * For {@code bench coldstart} only: runs the handler's SnapStart hook as Lambda does before a snapshot. A plain JVM
 * has no CRaC checkpoint to trigger it, and the hook is package-private, hence this class in the function's package
 * (copied beside the probe classes onto the function's own classpath).
 */
public final class ConfirmationPrimingAccess {
    private ConfirmationPrimingAccess() {
    }

    public static void beforeCheckpoint(ConfirmationHandler handler) {
        handler.priming().beforeCheckpoint(null);
    }
}
