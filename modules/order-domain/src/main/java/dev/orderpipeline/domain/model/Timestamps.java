package dev.orderpipeline.domain.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bounds of {@code submittedAt} and {@code confirmedAt}. Both appear on the {@code OrderConfirmed} v1 event as
 * RFC 3339 {@code date-time}, which needs a four-digit year: {@link Instant#toString()} writes one only for years
 * 0000..9999 and writes {@code +10000-...} beyond. The pipeline only ever stamps "now", so anything before
 * {@link #EARLIEST} or after {@link #LATEST} can only come from a forged or corrupted message.
 */
public final class Timestamps {
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** RFC 3339 in UTC as {@link Instant#toString()} writes it: four-digit year, optional fraction, {@code Z}. */
    private static final Pattern RFC_3339_UTC =
            Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$");

    private Timestamps() {
    }

    public static boolean isWithinBounds(Instant instant) {
        return instant != null && !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** @throws IllegalArgumentException naming the field when {@code instant} is out of bounds */
    public static Instant requireWithinBounds(Instant instant, String field) {
        if (!isWithinBounds(instant)) {
            throw new IllegalArgumentException(field + " must be between " + EARLIEST + " and " + LATEST);
        }
        return instant;
    }

    /** An RFC 3339 UTC timestamp within bounds, or empty. */
    public static Optional<Instant> parse(String text) {
        if (text == null || !RFC_3339_UTC.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            Instant instant = Instant.parse(text);
            return isWithinBounds(instant) ? Optional.of(instant) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
