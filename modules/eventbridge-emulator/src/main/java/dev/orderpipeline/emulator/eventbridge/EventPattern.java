package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * A rule's event pattern, checked and matched by event-ruler, the library EventBridge itself is built on, so that
 * the pattern language (prefix, numeric, anything-but, exists, $or, ...) and its error messages are AWS's own.
 *
 * <p>Each pattern gets its own {@link Machine}: a rule update then swaps one immutable value instead of deleting and
 * re-adding patterns in a shared machine while other threads match events against it.
 */
final class EventPattern {
    private static final String RULE_KEY = "rule";

    private final String text;
    private final Machine machine;

    private EventPattern(String text, Machine machine) {
        this.text = text;
        this.machine = machine;
    }

    /** @throws ApiException {@code InvalidEventPatternException} with event-ruler's reason */
    static EventPattern compile(String text) {
        String error = JsonRuleCompiler.check(text);
        if (error != null) {
            throw invalid(error);
        }
        Machine machine = new Machine();
        try {
            machine.addRule(RULE_KEY, text);
        } catch (IOException | RuntimeException e) {
            throw invalid(e.getMessage());
        }
        return new EventPattern(text, machine);
    }

    String text() {
        return text;
    }

    boolean matches(JsonNode event) {
        return !machine.rulesForJSONEvent(event).isEmpty();
    }

    private static ApiException invalid(String reason) {
        // event-ruler puts the parser location on a second line; AWS shows the same text on one line
        return new ApiException(400, "InvalidEventPatternException",
                "Event pattern is not valid. Reason: " + reason.replaceAll("\\s*\\R\\s*", " "));
    }
}
