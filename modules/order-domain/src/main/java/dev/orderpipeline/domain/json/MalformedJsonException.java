package dev.orderpipeline.domain.json;

/** The bytes are not well-formed strict JSON. The message names the problem, never the content. */
public final class MalformedJsonException extends RuntimeException {
    public MalformedJsonException(String message) {
        super(message);
    }

    public MalformedJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
