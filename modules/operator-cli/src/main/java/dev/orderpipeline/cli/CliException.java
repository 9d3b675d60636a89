package dev.orderpipeline.cli;

/** A failure the CLI explains in one line: the message says what went wrong and what to do about it. */
final class CliException extends RuntimeException {
    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Exit code 2: the invocation or the configuration is wrong (an option, a missing runtime, an unknown stack). */
    static CliException usage(String message) {
        return new CliException(OrdersCli.EXIT_USAGE, message, null);
    }

    static CliException usage(String message, Throwable cause) {
        return new CliException(OrdersCli.EXIT_USAGE, message, cause);
    }

    /** Exit code 1: the operation was attempted and did not succeed. */
    static CliException failed(String message) {
        return new CliException(OrdersCli.EXIT_FAILED, message, null);
    }

    static CliException failed(String message, Throwable cause) {
        return new CliException(OrdersCli.EXIT_FAILED, message, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
