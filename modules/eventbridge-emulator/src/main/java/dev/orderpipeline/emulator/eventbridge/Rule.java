package dev.orderpipeline.emulator.eventbridge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A rule and its targets as one immutable value. Every change replaces the value in its bus's map with
 * {@code compute}, so a PutEvents running at the same time sees either the old rule or the new one, never a mix.
 *
 * @param targets by target Id, in the order they were first put
 */
record Rule(String busName, String name, String arn, EventPattern pattern, RuleState state,
            Optional<String> description, Map<String, RuleTarget> targets) {

    /** AWS accepts at most this many targets on one rule. */
    static final int MAX_TARGETS = 5;

    Rule {
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    }

    boolean enabled() {
        return state == RuleState.ENABLED;
    }

    Rule withTargets(Map<String, RuleTarget> newTargets) {
        return new Rule(busName, name, arn, pattern, state, description, newTargets);
    }
}
