package dev.orderpipeline.domain.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount in one ISO 4217 currency, held at exactly the currency's minor-unit scale (EUR 2, JPY 0, BHD 3).
 * The scale comes from the {@link Currency} the amount was read with, never from the JDK.
 * Never a double: amounts travel as decimal strings and are summed as {@link BigDecimal}.
 */
public record Money(Currency currency, BigDecimal amount) {
    /** Upper bound for any single amount; keeps totals far from overflow in every downstream system. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");

    public Money {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(amount, "amount");
        int scale = currency.minorUnits();
        if (amount.scale() != scale) {
            throw new IllegalArgumentException("amount must have exactly " + scale + " decimal places for " + currency);
        }
        if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw new IllegalArgumentException("amount must be between 0 and " + MAX_AMOUNT);
        }
    }

    public static Money zero(Currency currency) {
        return new Money(currency, BigDecimal.ZERO.setScale(currency.minorUnits()));
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(currency, amount.add(other.amount));
    }

    public Money times(int quantity) {
        return new Money(currency, amount.multiply(BigDecimal.valueOf(quantity)));
    }

    /** Plain decimal string at the currency's scale, e.g. {@code "12.50"}; the wire format of every amount. */
    public String toDecimalString() {
        return amount.toPlainString();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
    }
}
