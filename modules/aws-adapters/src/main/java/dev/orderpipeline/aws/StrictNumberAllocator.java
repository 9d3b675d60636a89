package dev.orderpipeline.aws;

import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.SaveOutcome;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Strict mode (the default): numbers 1, 2, 3, … in the order orders are stored, without gaps.
 *
 * <p>Each claim is "counter value + 1, if the counter still reads that value"; {@link DynamoDbOrderStore} checks
 * and advances the counter in the same transaction that stores the order, so nothing is consumed by a failed or
 * repeated attempt. The allocator only caches the last value it saw, so a single worker needs no read per order:
 * the cancelled transaction of a lost race returns the current counter, and the next claim starts from there.
 *
 * <p>Throughput is bounded by the counter item: every order writes it, and DynamoDB serves about 1,000 writes/s
 * per item (fewer under transaction conflicts). Use {@link BlockNumberAllocator} beyond that.
 */
public final class StrictNumberAllocator implements OrderNumberAllocator {
    private static final long UNKNOWN = -1;

    private final DynamoDbOrderStore store;
    private long counter = UNKNOWN;
    /** Next number to try when numbers above the counter are already taken (only after manual repair or a mode switch). */
    private long skipTo;

    public StrictNumberAllocator(DynamoDbClient dynamoDb, String tableName) {
        this.store = new DynamoDbOrderStore(dynamoDb, tableName); // only for its consistent read of the counter
    }

    @Override
    public synchronized NumberClaim claim() {
        if (counter == UNKNOWN) {
            counter = readCounter();
            skipTo = 0;
        }
        long next = Math.max(counter + 1, skipTo);
        return new NumberClaim.Conditional(new OrderNumber(next), counter);
    }

    @Override
    public synchronized void settle(NumberClaim claim, SaveOutcome outcome) {
        if (outcome instanceof SaveOutcome.Saved) {
            counter = Math.max(counter, claim.number().sequence());
            skipTo = 0;
        } else if (outcome instanceof SaveOutcome.ClaimStale stale) {
            counter = stale.counterNow();
            skipTo = 0;
        } else if (outcome instanceof SaveOutcome.NumberTaken) {
            skipTo = claim.number().sequence() + 1;
        } else if (outcome instanceof SaveOutcome.Contended) {
            counter = UNKNOWN;
        }
        // AlreadyExists: nothing was written, the cached counter is still right.
    }

    private long readCounter() {
        return store.readCounter();
    }
}
