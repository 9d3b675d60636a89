package dev.orderpipeline.emulator.eventbridge;

/** The rule states the local endpoint supports; the CloudTrail-specific state of AWS is refused. */
enum RuleState {
    ENABLED,
    DISABLED;

    static RuleState parse(String value) {
        for (RuleState state : values()) {
            if (state.name().equals(value)) {
                return state;
            }
        }
        throw ApiException.validation("1 validation error detected: Value '" + value
                + "' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]");
    }
}
