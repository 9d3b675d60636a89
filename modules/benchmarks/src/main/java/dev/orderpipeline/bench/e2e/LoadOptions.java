package dev.orderpipeline.bench.e2e;

import picocli.CommandLine.Option;

/** What the orders look like and how many client-side threads send and receive them. */
public final class LoadOptions {
    @Option(names = "--lines", description = "Lines per order, 1..100 (default: ${DEFAULT-VALUE}).")
    int lines = 3;

    @Option(names = "--idempotency-keys", negatable = true, fallbackValue = "true",
            description = "Send an Idempotency-Key with every order (intake then also reads the table once) (default: ${DEFAULT-VALUE}).")
    boolean idempotencyKeys = true;

    @Option(names = "--senders", description = "Load generator sender threads (default: ${DEFAULT-VALUE}).")
    int senders = 2;

    @Option(names = "--consumers", description = "Threads draining the subscriber queue (default: ${DEFAULT-VALUE}).")
    int consumers = 1;
}
