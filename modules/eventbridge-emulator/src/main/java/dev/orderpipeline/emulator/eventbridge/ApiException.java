package dev.orderpipeline.emulator.eventbridge;

/**
 * An error answered to the client in the AWS JSON 1.1 shape, {@code {"__type": ..., "message": ...}}, so the SDK
 * raises it as an {@code EventBridgeException} (or the modeled subclass) with that error code.
 */
final class ApiException extends RuntimeException {
    private final int httpStatus;
    private final String errorType;

    ApiException(int httpStatus, String errorType, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.errorType = errorType;
    }

    static ApiException validation(String message) {
        return new ApiException(400, "ValidationException", message);
    }

    static ApiException notNull(String field) {
        return validation("1 validation error detected: Value null at '" + field
                + "' failed to satisfy constraint: Member must not be null");
    }

    static ApiException busNotFound(String busName) {
        return new ApiException(400, "ResourceNotFoundException", "Event bus " + busName + " does not exist.");
    }

    static ApiException ruleNotFound(String ruleName, String busName) {
        return new ApiException(400, "ResourceNotFoundException",
                "Rule " + ruleName + " does not exist on EventBus " + busName + ".");
    }

    static ApiException unsupported(String what) {
        return validation(what + " is not supported by the local EventBridge endpoint");
    }

    int httpStatus() {
        return httpStatus;
    }

    String errorType() {
        return errorType;
    }
}
