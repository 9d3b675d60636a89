package dev.orderpipeline.domain.model;

import java.util.Objects;

/**
 * One violated rule of an input document.
 *
 * @param pointer RFC 6901 JSON pointer to the offending field, e.g. {@code /lines/2/quantity}
 * @param code    stable machine-readable code, e.g. {@code required}, {@code out_of_range}
 * @param message human-readable explanation; never echoes the rejected value
 */
public record FieldError(String pointer, String code, String message) {
    public FieldError {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
