package dev.orderpipeline.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters; their messages become the one-line usage error. */
final class Converters {
    private Converters() {
    }

    /** {@code 90} (seconds), {@code 90s}, {@code 10m}, {@code 1h}, or ISO-8601 {@code PT10M}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("^(\\d{1,9})(ms|s|m|h)?$");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(v);
            Duration d;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                d = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            } else {
                try {
                    d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 90s, 10m, 1h or PT10M");
                }
            }
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("'" + value + "' must be a positive duration");
            }
            return d;
        }
    }

    /** An ISO-8601 instant, {@code 2026-11-26T10:00:00Z}, or with an offset, {@code 2026-11-26T11:00:00+01:00}. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(value.trim()).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new TypeConversionException("'" + value + "' is not an ISO-8601 instant; use e.g. "
                            + "2026-11-26T10:00:00Z or 2026-11-26T11:00:00+01:00");
                }
            }
        }
    }
}
