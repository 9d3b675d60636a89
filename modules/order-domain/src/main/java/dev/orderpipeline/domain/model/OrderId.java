package dev.orderpipeline.domain.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The identity of an order, assigned at intake and carried through every stage.
 *
 * <p>A lowercase canonical UUID. Orders submitted with an {@code Idempotency-Key} get a name-based id derived
 * from the customer and the key, so a client retry after a timeout maps to the same order; the confirmation
 * stage keys the stored order on this id (never on the SQS message id), which collapses the duplicates.
 */
public record OrderId(String value) {
    private static final Pattern CANONICAL =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    public OrderId {
        Objects.requireNonNull(value, "orderId");
        if (!CANONICAL.matcher(value).matches()) {
            throw new IllegalArgumentException("orderId must be a lowercase canonical UUID");
        }
    }

    public static boolean isValid(String candidate) {
        return candidate != null && CANONICAL.matcher(candidate).matches();
    }

    /**
     * A fresh random id. Called per request, never at class initialisation, so that Lambda SnapStart
     * restores do not share random state.
     */
    public static OrderId random() {
        return new OrderId(UUID.randomUUID().toString());
    }

    /** The same customer and key always give the same id; different customers never share an id by key reuse. */
    public static OrderId fromIdempotencyKey(CustomerId customer, IdempotencyKey key) {
        String name = "order-pipeline/idempotency/v1\n" + customer.value() + "\n" + key.value();
        return new OrderId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
