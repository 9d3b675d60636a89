package dev.orderpipeline.local;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads a duration flag: {@code 250ms}, {@code 20s}, {@code 1.5s}, {@code 2m}, {@code 1h}, a bare number of seconds, or
 * ISO-8601 ({@code PT10M}); never negative. One converter for every command line of the project ({@code ./run-local},
 * {@code ./bench}, {@code ./orders}), so a duration is written the same way everywhere.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("^(\\d+(?:\\.\\d+)?)(ms|s|m|h)?$");
    private static final Map<String, Long> MILLIS_PER_UNIT = Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L);

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** @throws CommandLine.TypeConversionException with the one line picocli prints as the usage error */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            long unit = MILLIS_PER_UNIT.get(m.group(2) == null ? "s" : m.group(2));
            return Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * unit));
        }
        try {
            Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // the message below says what is accepted
        }
        throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration; use e.g. 500ms, 20s, 1.5s, 10m, 1h or PT10M");
    }
}
