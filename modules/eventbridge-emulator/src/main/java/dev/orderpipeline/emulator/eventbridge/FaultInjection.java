package dev.orderpipeline.emulator.eventbridge;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures a test arms on purpose: the next n PutEvents calls, or the next n PutEvents entries across calls, fail
 * with a given error. Arming again replaces what was left of the previous countdown.
 */
final class FaultInjection {
    private static final Countdown DISARMED = new Countdown(0, null);

    private volatile Countdown calls = DISARMED;
    private volatile Countdown entries = DISARMED;

    void failNextCalls(int count, ApiException error) {
        calls = new Countdown(count, error);
    }

    void failNextEntries(int count, ApiException error) {
        entries = new Countdown(count, error);
    }

    /** The error for this PutEvents call, if one is armed; taking it counts the call. */
    Optional<ApiException> takeCallFault() {
        return calls.take();
    }

    /** The error for this PutEvents entry, if one is armed; taking it counts the entry. */
    Optional<ApiException> takeEntryFault() {
        return entries.take();
    }

    private static final class Countdown {
        private final AtomicInteger remaining;
        private final ApiException error;

        Countdown(int count, ApiException error) {
            this.remaining = new AtomicInteger(count);
            this.error = error;
        }

        Optional<ApiException> take() {
            return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? Optional.of(error) : Optional.empty();
        }
    }
}
