package dev.orderpipeline.confirmation;

import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.Env;
import java.util.Locale;

/**
 * The confirmation function's settings, read once at init from environment variables named as in
 * {@code template.yaml}; a missing or invalid value fails the init with one line naming the variable.
 *
 * @param numberMode {@code strict} (default: gap-free, one counter write per order) or {@code block}
 * @param blockSize  numbers reserved per counter write in block mode
 */
public record ConfirmationConfig(String ordersTable, String eventBusName, String eventSource, String numberMode,
                                 int blockSize) {
    public static final String ENV_ORDERS_TABLE = "ORDERS_TABLE";
    public static final String ENV_EVENT_BUS_NAME = "EVENT_BUS_NAME";
    public static final String ENV_EVENT_SOURCE = "EVENT_SOURCE";
    public static final String ENV_ORDER_NUMBER_MODE = "ORDER_NUMBER_MODE";
    public static final String ENV_ORDER_NUMBER_BLOCK_SIZE = "ORDER_NUMBER_BLOCK_SIZE";
    public static final String DEFAULT_EVENT_SOURCE = "order-pipeline";
    public static final String MODE_STRICT = "strict";
    public static final String MODE_BLOCK = "block";

    public static ConfirmationConfig from(Env env) {
        String mode = env.optional(ENV_ORDER_NUMBER_MODE).orElse(MODE_STRICT).toLowerCase(Locale.ROOT);
        if (!mode.equals(MODE_STRICT) && !mode.equals(MODE_BLOCK)) {
            throw new IllegalStateException("environment variable " + ENV_ORDER_NUMBER_MODE + " must be strict or block");
        }
        String source = env.optional(ENV_EVENT_SOURCE).orElse(DEFAULT_EVENT_SOURCE);
        if (source.startsWith("aws.")) {
            throw new IllegalStateException("environment variable " + ENV_EVENT_SOURCE + " must not start with aws. (reserved by AWS)");
        }
        return new ConfirmationConfig(
                env.required(ENV_ORDERS_TABLE),
                env.required(ENV_EVENT_BUS_NAME),
                source,
                mode,
                env.intValue(ENV_ORDER_NUMBER_BLOCK_SIZE, 100, 1, BlockNumberAllocator.MAX_BLOCK_SIZE));
    }
}
