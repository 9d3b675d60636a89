package dev.orderpipeline.domain.intake;

import dev.orderpipeline.domain.model.OrderId;
import java.time.Instant;
import java.util.Objects;

/**
 * What intake remembers about the first request with an {@code Idempotency-Key}: which order the key names (the
 * order id is derived from customer and key, so it also identifies the record), the fingerprint of the content that
 * claimed it, and the {@code submittedAt} every answer for the key repeats. Valid until {@link #expiresAt()}.
 */
public record IdempotencyRecord(OrderId orderId, String fingerprint, Instant submittedAt, Instant expiresAt) {
    public IdempotencyRecord {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (fingerprint.isBlank()) {
            throw new IllegalArgumentException("fingerprint must not be blank");
        }
        if (!expiresAt.isAfter(submittedAt)) {
            throw new IllegalArgumentException("an idempotency record must expire after it was created");
        }
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
