package dev.orderpipeline.history;

import dev.orderpipeline.aws.Env;

/** Settings read once at init from the environment ({@code template.yaml} names them). */
public record OrderHistoryConfig(String historyTable) {
    public static final String ENV_HISTORY_TABLE = "HISTORY_TABLE";

    public static OrderHistoryConfig from(Env env) {
        return new OrderHistoryConfig(env.required(ENV_HISTORY_TABLE));
    }
}
