package dev.orderpipeline.emulator.dynamodb;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of DynamoDB's contention the endpoint reproduces.
 *
 * <p>Transactions always conflict as in DynamoDB: a transaction marks its items while it is in flight, and a
 * transaction or single-item write that meets a marked item is refused ({@code TransactionConflict}). Two knobs make
 * that observable on a fast machine and add DynamoDB's per-item throughput limit:
 *
 * @param transactionHold          how long a transaction stays in flight, its items marked, between checking its
 *                                 conditions and committing; {@link Duration#ZERO} keeps only the natural window
 * @param itemWriteUnitsPerSecond  write units per second one item accepts before writes to it are throttled (a
 *                                 single write costs 1, each written item of a transaction 2, as in DynamoDB); 0 = no
 *                                 limit. DynamoDB's limit is about 1,000 per partition.
 */
public record Contention(Duration transactionHold, int itemWriteUnitsPerSecond) {
    /** No hold, no throughput limit: what {@code ./run-local} uses. */
    public static final Contention NONE = new Contention(Duration.ZERO, 0);

    public Contention {
        Objects.requireNonNull(transactionHold, "transactionHold");
        if (transactionHold.isNegative()) {
            throw new IllegalArgumentException("transactionHold must not be negative");
        }
        if (itemWriteUnitsPerSecond < 0) {
            throw new IllegalArgumentException("itemWriteUnitsPerSecond must not be negative");
        }
    }
}
