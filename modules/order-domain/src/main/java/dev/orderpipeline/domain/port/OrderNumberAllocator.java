package dev.orderpipeline.domain.port;

/**
 * Driven port: proposes order numbers. In strict mode uniqueness does not rest on the allocator alone: the store
 * refuses a number that is already taken, so a racing allocator costs a retry, never a duplicate. In block mode it
 * does: the numbers were reserved for this allocator alone, and the store writes no guard, so an allocator must hand
 * each number out once and take one back ({@link #settle}) only when the outcome says nothing was written under it.
 */
public interface OrderNumberAllocator {
    /** @throws OrderStoreUnavailableException when the counter could not be read or advanced */
    NumberClaim claim();

    /** Tells the allocator what became of a claim, so it can reuse an unused number or resynchronise. */
    void settle(NumberClaim claim, SaveOutcome outcome);
}
