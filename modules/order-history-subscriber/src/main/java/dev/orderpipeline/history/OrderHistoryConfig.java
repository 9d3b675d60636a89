package dev.orderpipeline.history;

import dev.orderpipeline.aws.Env;
import java.time.Duration;

/**
 * Settings read once at init from the environment ({@code template.yaml} names them).
 *
 * @param dedupWindow how long an {@code eventId} marker is kept (TTL): longer than the queue's retention plus the
 *                    EventBridge retry window, so every redelivery of one publication is caught by it
 */
public record OrderHistoryConfig(String historyTable, Duration dedupWindow) {
    public static final String ENV_HISTORY_TABLE = "HISTORY_TABLE";
    public static final String ENV_DEDUP_WINDOW_DAYS = "DEDUP_WINDOW_DAYS";

    public static OrderHistoryConfig from(Env env) {
        return new OrderHistoryConfig(env.required(ENV_HISTORY_TABLE),
                Duration.ofDays(env.intValue(ENV_DEDUP_WINDOW_DAYS, 7, 1, 365)));
    }
}
