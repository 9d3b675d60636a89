package dev.orderpipeline.domain.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The active ISO 4217 codes with their minor units, read from the pinned data file
 * {@value #RESOURCE} (source and publication date are named in its header). Intake accepts a currency only when
 * this table lists it with 0..{@value Currency#MAX_MINOR_UNITS} minor units:
 * <ul>
 *   <li>a code the table does not list (never assigned, or withdrawn such as HRK, LTL, VEF) is {@code unknown_currency};</li>
 *   <li>a listed code without a minor unit (XAU, XDR, XXX, ...) or with 4 (CLF, UYW) is {@code unsupported_currency}:
 *       the {@code OrderConfirmed} v1 amount pattern carries at most 3 decimals, and a 202 must only be given to an
 *       order that can be confirmed and published.</li>
 * </ul>
 */
public final class CurrencyTable {
    public static final String RESOURCE = "/currencies/iso4217-list-one.tsv";
    private static final Map<String, Entry> ENTRIES = load();

    /** One row of the table; {@code minorUnits} is empty for codes ISO lists as "N.A.". */
    public record Entry(String code, OptionalInt minorUnits) {
        /** The currency to price an order in, if this code can be carried end to end. */
        public Optional<Currency> orderCurrency() {
            if (minorUnits.isEmpty() || minorUnits.getAsInt() > Currency.MAX_MINOR_UNITS) {
                return Optional.empty();
            }
            return Optional.of(new Currency(code, minorUnits.getAsInt()));
        }
    }

    private CurrencyTable() {
    }

    public static Optional<Entry> lookup(String code) {
        return Optional.ofNullable(code == null ? null : ENTRIES.get(code));
    }

    /** Every listed code, sorted by code. */
    public static Map<String, Entry> entries() {
        return ENTRIES;
    }

    private static Map<String, Entry> load() {
        InputStream in = CurrencyTable.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the currency table " + RESOURCE + " is missing from the classpath");
        }
        Map<String, Entry> entries = new TreeMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                if (cols.length != 2 || !cols[0].matches("^[A-Z]{3}$")) {
                    throw new IllegalStateException("malformed row in " + RESOURCE + ": " + line);
                }
                OptionalInt units = "N.A.".equals(cols[1]) ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(cols[1]));
                if (entries.put(cols[0], new Entry(cols[0], units)) != null) {
                    throw new IllegalStateException("duplicate code in " + RESOURCE + ": " + cols[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
        return Collections.unmodifiableMap(entries);
    }
}
