package dev.orderpipeline.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderNumberTest {
    @ParameterizedTest
    @CsvSource({
            "1,                   ORD-0000000001",
            "42,                  ORD-0000000042",
            "9999999999,          ORD-9999999999",
            "10000000000,         ORD-10000000000",
            "9223372036854775807, ORD-9223372036854775807"})
    void toString_whenFormatted_padsToTenDigits(long sequence, String text) {
        assertThat(new OrderNumber(sequence)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 9_999_999_999L, 10_000_000_000L, Long.MAX_VALUE})
    void parse_whenGivenToString_roundTrips(long sequence) {
        OrderNumber number = new OrderNumber(sequence);

        assertThat(OrderNumber.parse(number.toString())).isEqualTo(number);
    }

    @Test
    void parse_whenTextIsCanonical_givesSequence() {
        assertThat(OrderNumber.parse("ORD-0000000042").sequence()).isEqualTo(42);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void constructor_whenSequenceIsBelowOne_rejectsIt(long sequence) {
        assertThatThrownBy(() -> new OrderNumber(sequence)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ORD-42", "ORD-000000042", "ord-0000000042", "ORD0000000042", "ORD-00000000-1",
            "ORD-0000000000", " ORD-0000000042", "ORD-0000000042 ", "ORD-+000000042", "ORD-٠٠٠٠٠٠٠٠٤٢",
            "ORD-99999999999999999999", "ORD-9999999999999999999"})
    void parse_whenTextIsNotAnOrderNumber_rejectsIt(String text) {
        assertThatThrownBy(() -> OrderNumber.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_whenTextIsNull_rejectsIt() {
        assertThatThrownBy(() -> OrderNumber.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compareTo_whenSorted_ordersBySequenceNotText() {
        List<OrderNumber> numbers = new ArrayList<>(List.of(
                new OrderNumber(10_000_000_000L), new OrderNumber(2), new OrderNumber(9_999_999_999L), new OrderNumber(1)));

        numbers.sort(null);

        assertThat(numbers).containsExactly(new OrderNumber(1), new OrderNumber(2), new OrderNumber(9_999_999_999L),
                new OrderNumber(10_000_000_000L));
    }

    @Test
    void compareTo_whenSequencesAreEqual_isZeroAndConsistentWithEquals() {
        assertThat(new OrderNumber(7)).isEqualByComparingTo(new OrderNumber(7)).isEqualTo(new OrderNumber(7));
        assertThat(new OrderNumber(7)).isLessThan(new OrderNumber(8)).isGreaterThan(new OrderNumber(6));
    }
}
