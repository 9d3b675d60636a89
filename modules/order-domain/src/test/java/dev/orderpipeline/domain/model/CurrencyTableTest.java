package dev.orderpipeline.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CurrencyTableTest {

    @Test
    void entries_whenLoaded_holdTheWholePinnedListOne() {
        // list one of 2024-06-25: 179 distinct codes, 13 without a minor unit, 2 with four
        assertThat(CurrencyTable.entries()).hasSize(179);
        assertThat(CurrencyTable.entries().values()).filteredOn(e -> e.minorUnits().isEmpty()).hasSize(13);
        assertThat(CurrencyTable.entries().values()).filteredOn(e -> e.minorUnits().orElse(-1) == 4)
                .extracting(CurrencyTable.Entry::code).containsExactly("CLF", "UYW");
    }

    @ParameterizedTest
    @CsvSource({"EUR,2", "JPY,0", "BHD,3", "KWD,3", "ISK,0", "CLP,0", "UYI,0", "VED,2", "ZWG,2", "SLE,2"})
    void of_whenCodeIsListed_givesItsMinorUnitsFromTheTable(String code, int minorUnits) {
        assertThat(Currency.of(code)).isEqualTo(new Currency(code, minorUnits));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HRK", "LTL", "EEK", "BYR", "MRO", "STD", "VEF", "ZWD", "RUR", "ZWL", "SLL", "eur", "EURO", ""})
    void lookup_whenCodeIsWithdrawnOrMalformed_findsNothing(String code) {
        assertThat(CurrencyTable.lookup(code)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"XAU", "XDR", "XXX", "XTS", "CLF", "UYW"})
    void orderCurrency_whenListedWithoutAUsableMinorUnit_isEmpty(String code) {
        assertThat(CurrencyTable.lookup(code)).get()
                .satisfies(e -> assertThat(e.orderCurrency()).isEmpty());
        assertThatThrownBy(() -> Currency.of(code)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_whenMinorUnitsExceedWhatTheEventCarries_refusesIt() {
        assertThatThrownBy(() -> new Currency("CLF", 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CurrencyTable.lookup("CLF").orElseThrow().minorUnits()).isEqualTo(OptionalInt.of(4));
    }
}
