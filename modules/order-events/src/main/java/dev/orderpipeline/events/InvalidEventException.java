package dev.orderpipeline.events;

/**
 * An event this version of the contract cannot read. The message names the field (a JSON path such as
 * {@code lines[0].sku}) and the problem, never the field's content: a subscriber logs it and sends the message to its
 * DLQ, where it can be inspected and replayed once the subscriber is fixed.
 */
public class InvalidEventException extends RuntimeException {
    private final String field;

    public InvalidEventException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public InvalidEventException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    /** The offending field as a JSON path ({@code total}, {@code lines[1].quantity}), or {@code $} for the document. */
    public String field() {
        return field;
    }
}
