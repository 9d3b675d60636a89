package dev.orderpipeline.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An ISO 4217 currency as an order carries it: its alphabetic code and the number of decimals of its amounts.
 *
 * <p>The project's own type, not {@link java.util.Currency}: the JDK's table differs between JDK releases (Lambda's
 * java21 and a local JDK 17 disagree) and still holds withdrawn codes. Which codes intake accepts is decided by the
 * pinned {@link CurrencyTable}; this record only holds what every stored order and every {@code OrderConfirmed} v1
 * event can carry: three capital letters and 0..{@value #MAX_MINOR_UNITS} decimals (the v1 amount pattern).
 */
public record Currency(String code, int minorUnits) {
    /** The most decimals an amount may have on the v1 event ({@code order-confirmed-v1.schema.json}). */
    public static final int MAX_MINOR_UNITS = 3;
    private static final Pattern CODE = Pattern.compile("^[A-Z]{3}$");

    public Currency {
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a currency code is three capital letters");
        }
        if (minorUnits < 0 || minorUnits > MAX_MINOR_UNITS) {
            throw new IllegalArgumentException("a currency has 0.." + MAX_MINOR_UNITS + " minor units");
        }
    }

    /**
     * The currency of an active ISO 4217 code that orders may be priced in.
     *
     * @throws IllegalArgumentException when the pinned table does not list the code, or lists it without a usable
     *                                  minor unit; {@link CurrencyTable#lookup} tells the two apart
     */
    public static Currency of(String code) {
        return CurrencyTable.lookup(code)
                .flatMap(CurrencyTable.Entry::orderCurrency)
                .orElseThrow(() -> new IllegalArgumentException("not a currency orders can be priced in: " + code));
    }

    @Override
    public String toString() {
        return code;
    }
}
