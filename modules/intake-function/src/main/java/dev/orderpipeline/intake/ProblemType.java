package dev.orderpipeline.intake;

/**
 * Every error the intake API answers with, as an RFC 9457 problem type. The {@link #uri()} is stable: clients may
 * branch on it. Documented in {@code docs/api.md}.
 */
public enum ProblemType {
    MALFORMED_JSON(400, "malformed-json", "The request body is not valid JSON"),
    EMPTY_BODY(400, "empty-body", "The request has no body"),
    INVALID_IDEMPOTENCY_KEY(400, "invalid-idempotency-key", "The Idempotency-Key header is not valid"),
    INVALID_ORDER_ID(400, "invalid-order-id", "The order id is not valid"),
    FORBIDDEN(403, "forbidden", "Not allowed for this customer"),
    ORDER_NOT_FOUND(404, "order-not-found", "No confirmed order with this id (yet)"),
    ROUTE_NOT_FOUND(404, "route-not-found", "No such resource"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this resource"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "The request body must be application/json"),
    VALIDATION_FAILED(422, "validation-failed", "The order is not valid"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "The Idempotency-Key was already used for a different order"),
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    QUEUE_UNAVAILABLE(503, "queue-unavailable", "Orders cannot be accepted right now"),
    STORE_UNAVAILABLE(503, "store-unavailable", "The order store cannot be reached right now");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** Short name used as the metric dimension {@code Reason}. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return "urn:order-pipeline:problem:" + slug;
    }
}
