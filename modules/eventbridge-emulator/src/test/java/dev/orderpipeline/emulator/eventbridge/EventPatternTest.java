package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventPatternTest {

    @Test
    void compile_whenPatternInvalid_thenInvalidEventPatternWithRulerReasonOnOneLine() {
        assertThatThrownBy(() -> EventPattern.compile("{\"detail\":{\"total\":[{\"numeric\":[\">\"]}]}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorType()).isEqualTo("InvalidEventPatternException");
                    assertThat(e.getMessage()).startsWith("Event pattern is not valid. Reason: ").doesNotContain("\n");
                });
    }

    @Test
    void matches_whenPatternUsesOr_thenEitherBranchMatches() {
        EventPattern pattern = EventPattern.compile(
                "{\"$or\":[{\"source\":[\"shop.orders\"]},{\"detail\":{\"priority\":[\"high\"]}}]}");

        assertThat(pattern.matches(LocalEventBridge.parse("{\"source\":\"shop.orders\",\"detail\":{}}"))).isTrue();
        assertThat(pattern.matches(LocalEventBridge.parse("{\"source\":\"crm\",\"detail\":{\"priority\":\"high\"}}")))
                .isTrue();
        assertThat(pattern.matches(LocalEventBridge.parse("{\"source\":\"crm\",\"detail\":{\"priority\":\"low\"}}")))
                .isFalse();
    }

    @Test
    void matches_whenEventArrayHoldsTheValue_thenMatches() {
        EventPattern pattern = EventPattern.compile("{\"resources\":[\"table/orders\"]}");

        assertThat(pattern.matches(LocalEventBridge.parse("{\"resources\":[\"table/lines\",\"table/orders\"]}")))
                .isTrue();
    }
}
