package dev.orderpipeline.domain.port;

import dev.orderpipeline.domain.intake.IdempotencyRecord;
import java.time.Instant;

/**
 * Driven port: the idempotency records of intake, one per order id (that is, per customer and key).
 *
 * <p>{@link #claim} is the single decision point for concurrent requests with one key: it must be atomic (a
 * conditional write), so that of any number of concurrent claims for one order id exactly one is stored and every
 * caller learns which.
 */
public interface IdempotencyRecords {
    /**
     * Stores {@code record} unless an unexpired record (at {@code now}) exists for its order id.
     *
     * @return the record that holds the key after the call: {@code record} itself if it was stored, the earlier one
     *         otherwise
     * @throws OrderStoreUnavailableException when the store could not answer (the record may or may not be stored)
     */
    IdempotencyRecord claim(IdempotencyRecord record, Instant now);
}
