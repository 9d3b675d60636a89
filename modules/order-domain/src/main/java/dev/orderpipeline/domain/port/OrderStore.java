package dev.orderpipeline.domain.port;

import dev.orderpipeline.domain.model.ConfirmedOrder;

/**
 * Driven port: the system of record for confirmed orders. Implementations must make {@link #saveNew} a single
 * atomic write that stores the order only if its id is new, takes the claimed number only if it is free, and
 * (for a {@link NumberClaim.Conditional} claim) advances the counter only if it is unchanged.
 */
public interface OrderStore extends OrderLookup {
    /** @throws OrderStoreUnavailableException when the write could not be attempted or its result is unknown */
    SaveOutcome saveNew(ConfirmedOrder order, NumberClaim claim);
}
