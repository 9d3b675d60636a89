package dev.orderpipeline.domain.model;

import java.util.Objects;

/** Client-chosen retry key ({@code Idempotency-Key} header): 1..{@value #MAX_LENGTH} printable ASCII characters. */
public record IdempotencyKey(String value) {
    public static final int MAX_LENGTH = 128;

    public IdempotencyKey {
        Objects.requireNonNull(value, "idempotencyKey");
        if (!isValid(value)) {
            throw new IllegalArgumentException("Idempotency-Key must be 1.." + MAX_LENGTH + " printable ASCII characters");
        }
    }

    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
