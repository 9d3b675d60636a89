package dev.orderpipeline.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {
    private static final Currency EUR = Currency.of("EUR");
    private static final Currency JPY = Currency.of("JPY");
    private static final Currency BHD = Currency.of("BHD");

    private static Money money(String currency, String amount) {
        return new Money(Currency.of(currency), new BigDecimal(amount));
    }

    @ParameterizedTest
    @CsvSource({"EUR, 12.50", "EUR, 0.00", "JPY, 1200", "JPY, 0", "BHD, 1.255", "BHD, 0.000",
            "EUR, 1000000000.00", "JPY, 1000000000", "BHD, 1000000000.000"})
    void constructor_whenAmountHasCurrencyScaleAndIsInRange_acceptsIt(String currency, String amount) {
        Money m = money(currency, amount);

        assertThat(m.toDecimalString()).isEqualTo(amount);
    }

    @ParameterizedTest
    @CsvSource({"EUR, 12.5", "EUR, 12", "EUR, 12.500", "JPY, 12.0", "JPY, 0.5", "BHD, 1.25", "BHD, 1.2550", "EUR, 1E+1"})
    void constructor_whenAmountScaleDiffersFromCurrency_rejectsIt(String currency, String amount) {
        assertThatThrownBy(() -> money(currency, amount))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decimal places");
    }

    @ParameterizedTest
    @CsvSource({"EUR, -0.01", "JPY, -1", "EUR, 1000000000.01", "JPY, 1000000001", "BHD, 1000000000.001"})
    void constructor_whenAmountIsNegativeOrAboveMax_rejectsIt(String currency, String amount) {
        assertThatThrownBy(() -> money(currency, amount))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XXX", "XAU", "XDR", "CLF"})
    void constructor_whenCurrencyHasNoUsableMinorUnit_rejectsIt(String currency) {
        assertThatThrownBy(() -> money(currency, "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a currency orders can be priced in");
    }

    @Test
    void constructor_whenArgumentsAreNull_rejectsThem() {
        assertThatThrownBy(() -> new Money(null, BigDecimal.ONE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Money(EUR, null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @CsvSource({"EUR, 0.00", "JPY, 0", "BHD, 0.000"})
    void zero_whenCreated_hasCurrencyScale(String currency, String expected) {
        Money zero = Money.zero(Currency.of(currency));

        assertThat(zero.amount().scale()).isEqualTo(Currency.of(currency).minorUnits());
        assertThat(zero.toDecimalString()).isEqualTo(expected);
    }

    @Test
    void plus_whenSameCurrency_addsExactly() {
        assertThat(money("EUR", "0.10").plus(money("EUR", "0.20"))).isEqualTo(money("EUR", "0.30"));
        assertThat(money("BHD", "0.001").plus(money("BHD", "0.999"))).isEqualTo(money("BHD", "1.000"));
    }

    @Test
    void plus_whenCurrenciesDiffer_rejectsIt() {
        assertThatThrownBy(() -> money("EUR", "1.00").plus(money("USD", "1.00")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plus_whenSumExceedsMax_rejectsIt() {
        assertThatThrownBy(() -> money("EUR", "1000000000.00").plus(money("EUR", "0.01")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void times_whenMultiplied_keepsCurrencyScale() {
        Money total = money("EUR", "12.50").times(3);

        assertThat(total).isEqualTo(money("EUR", "37.50"));
        assertThat(money("JPY", "1200").times(10_000).toDecimalString()).isEqualTo("12000000");
        assertThat(money("BHD", "0.001").times(7).toDecimalString()).isEqualTo("0.007");
    }

    @Test
    void times_whenProductExceedsMax_rejectsIt() {
        assertThatThrownBy(() -> money("EUR", "1000000000.00").times(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equals_whenAmountsAreEqualAtSameScale_isTrue() {
        assertThat(money("EUR", "12.50")).isEqualTo(new Money(EUR, new BigDecimal("12.5").setScale(2)));
        assertThat(money("JPY", "12")).isNotEqualTo(money("EUR", "12.00"));
    }

    @Test
    void toDecimalString_whenAmountIsLarge_neverUsesExponent() {
        assertThat(money("EUR", "100000000.00").times(10).toDecimalString()).isEqualTo("1000000000.00");
        assertThat(money("JPY", "1000").times(1_000_000).toDecimalString()).isEqualTo("1000000000");
        assertThat(Money.zero(BHD).plus(money("BHD", "0.001")).toDecimalString()).isEqualTo("0.001");
    }
}
