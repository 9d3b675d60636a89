package dev.orderpipeline.domain.confirmation;

import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Block mode, one instance per worker: reserves {@code blockSize} numbers at a time by advancing a shared counter,
 * hands them out in order, and keeps a number that was not used (the order already existed) for the next claim.
 */
final class BlockOrderNumberAllocator implements OrderNumberAllocator {
    private final AtomicLong sharedCounter;
    private final int blockSize;
    private final Deque<Long> reserved = new ArrayDeque<>();

    BlockOrderNumberAllocator(AtomicLong sharedCounter, int blockSize) {
        this.sharedCounter = sharedCounter;
        this.blockSize = blockSize;
    }

    @Override
    public synchronized NumberClaim claim() {
        if (reserved.isEmpty()) {
            long end = sharedCounter.addAndGet(blockSize);
            for (long n = end - blockSize + 1; n <= end; n++) {
                reserved.addLast(n);
            }
        }
        return new NumberClaim.Reserved(new OrderNumber(reserved.peekFirst()));
    }

    @Override
    public synchronized void settle(NumberClaim claim, SaveOutcome outcome) {
        if (outcome instanceof SaveOutcome.Saved || outcome instanceof SaveOutcome.NumberTaken) {
            reserved.remove(claim.number().sequence());
        }
        // AlreadyExists: nothing was written, the number stays at the head for the next order
    }
}
