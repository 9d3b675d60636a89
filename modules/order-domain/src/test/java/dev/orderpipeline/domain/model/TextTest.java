package dev.orderpipeline.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TextTest {

    @ParameterizedTest
    @ValueSource(ints = {0x20, 0x7E, 0xA0, 0xD7FF, 0xE000, 0xFDD0, 0xFFFD, 0x10000, 0x1F6B2, 0x10FFFD, 0x10FFFF})
    void isAcceptable_whenCodePointIsAnXmlCharAndNoControl_acceptsIt(int cp) {
        assertThat(Text.isAcceptable(cp)).isTrue();
        assertThat(Text.isAcceptable(new String(Character.toChars(cp)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0, 0x9, 0xA, 0xD, 0x1F, 0x7F, 0x80, 0x85, 0x9F, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFFFE, 0xFFFF})
    void isAcceptable_whenCodePointIsAControlASurrogateOrANonXmlChar_refusesIt(int cp) {
        assertThat(Text.isAcceptable(cp)).isFalse();
        assertThat(Text.isAcceptable("a" + (char) cp + "b")).isFalse();
    }

    @Test
    void isAcceptable_whenSurrogatesArePairedOrLone_acceptsOnlyPairs() {
        assertThat(Text.isAcceptable("\uD83D\uDEB2")).isTrue();
        assertThat(Text.isAcceptable("\uDEB2\uD83D")).isFalse();
        assertThat(Text.isAcceptable("x\uD83D")).isFalse();
    }

    @Test
    void isAcceptable_withBounds_countsCodePointsNotUtf16Units() {
        String bikes = "\uD83D\uDEB2".repeat(3);

        assertThat(Text.length(bikes)).isEqualTo(3);
        assertThat(Text.isAcceptable(bikes, 1, 3)).isTrue();
        assertThat(Text.isAcceptable(bikes, 1, 2)).isFalse();
        assertThat(Text.isAcceptable("", 1, 3)).isFalse();
        assertThat(Text.isAcceptable("", 0, 3)).isTrue();
    }
}
