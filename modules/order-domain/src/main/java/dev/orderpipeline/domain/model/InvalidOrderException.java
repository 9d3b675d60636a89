package dev.orderpipeline.domain.model;

import java.util.List;

/** Thrown when an order document breaks one or more rules; carries every violation, not just the first. */
public final class InvalidOrderException extends RuntimeException {
    private final transient List<FieldError> errors;

    public InvalidOrderException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an InvalidOrderException needs at least one field error");
        }
        StringBuilder sb = new StringBuilder("invalid order: ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(errors.get(i).pointer()).append(' ').append(errors.get(i).code());
        }
        return sb.toString();
    }
}
