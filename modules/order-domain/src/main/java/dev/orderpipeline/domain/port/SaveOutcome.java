package dev.orderpipeline.domain.port;

import dev.orderpipeline.domain.model.ConfirmedOrder;

/** What happened when the store tried to save a newly confirmed order with a claimed number. */
public sealed interface SaveOutcome {
    /** The order and its number are stored; the number is now taken forever. */
    record Saved(ConfirmedOrder order) implements SaveOutcome {
    }

    /** An order with this id was stored before (a redelivery, or a reused idempotency key); nothing was written. */
    record AlreadyExists(ConfirmedOrder existing) implements SaveOutcome {
    }

    /** Strict mode: another worker advanced the counter first; nothing was written. */
    record ClaimStale(long counterNow) implements SaveOutcome {
    }

    /**
     * The write collided with a concurrent write to the same items (DynamoDB {@code TransactionConflict});
     * nothing was written and the same order may simply be tried again.
     */
    record Contended() implements SaveOutcome {
    }

    /** Strict mode: the claimed number already belongs to another order (its guard item exists); nothing was written. */
    record NumberTaken() implements SaveOutcome {
    }
}
