package dev.orderpipeline.domain.port;

/**
 * Driven port: proposes order numbers. Uniqueness does not rest on the allocator alone: the store refuses a
 * number that is already taken, so a faulty or racing allocator costs a retry, never a duplicate.
 */
public interface OrderNumberAllocator {
    /** @throws OrderStoreUnavailableException when the counter could not be read or advanced */
    NumberClaim claim();

    /** Tells the allocator what became of a claim, so it can reuse an unused number or resynchronise. */
    void settle(NumberClaim claim, SaveOutcome outcome);
}
