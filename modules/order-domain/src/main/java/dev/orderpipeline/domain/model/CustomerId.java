package dev.orderpipeline.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Opaque customer identifier: 1..64 characters of letters, digits and {@code . _ : @ -}. */
public record CustomerId(String value) {
    public static final int MAX_LENGTH = 64;
    private static final Pattern FORMAT = Pattern.compile("^[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}$");

    public CustomerId {
        Objects.requireNonNull(value, "customerId");
        if (!isValid(value)) {
            throw new IllegalArgumentException("customerId must be 1.." + MAX_LENGTH + " of A-Z a-z 0-9 . _ : @ -");
        }
    }

    public static boolean isValid(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }
}
