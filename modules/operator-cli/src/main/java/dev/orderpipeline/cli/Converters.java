package dev.orderpipeline.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters; their messages become the one-line usage error. */
final class Converters {
    private Converters() {
    }

    /**
     * The project's duration syntax ({@code 90}, {@code 90s}, {@code 10m}, {@code 1h}, {@code PT10M}: one converter for
     * every command line, in the local runtime), refusing zero: every duration here is a timeout or a wait.
     */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = dev.orderpipeline.local.DurationConverter.parse(value);
            if (d.isZero()) {
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
