package dev.orderpipeline.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Stock keeping unit: 1..32 upper-case letters, digits and dashes, starting with a letter or digit. */
public record Sku(String value) {
    public static final int MAX_LENGTH = 32;
    private static final Pattern FORMAT = Pattern.compile("^[A-Z0-9][A-Z0-9-]{0," + (MAX_LENGTH - 1) + "}$");

    public Sku {
        Objects.requireNonNull(value, "sku");
        if (!isValid(value)) {
            throw new IllegalArgumentException("sku must be 1.." + MAX_LENGTH + " of A-Z 0-9 -, starting with A-Z or 0-9");
        }
    }

    public static boolean isValid(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }
}
