package dev.orderpipeline.intake;

import java.util.ArrayList;
import java.util.List;

/** Records metrics as readable strings: {@code accepted}, {@code rejected:<reason slug>}. */
final class RecordingIntakeMetrics implements IntakeMetrics {
    private final List<String> recorded = new ArrayList<>();

    /** How a rejection with {@code reason} appears in {@link #recorded()}. */
    static String rejection(ProblemType reason) {
        return "rejected:" + reason.slug();
    }

    @Override
    public void accepted() {
        recorded.add("accepted");
    }

    @Override
    public void rejected(ProblemType reason) {
        recorded.add(rejection(reason));
    }

    List<String> recorded() {
        return List.copyOf(recorded);
    }
}
