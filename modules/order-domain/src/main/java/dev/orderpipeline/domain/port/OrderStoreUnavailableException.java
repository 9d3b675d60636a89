package dev.orderpipeline.domain.port;

/** The order table could not be read or written this time. */
public final class OrderStoreUnavailableException extends DependencyUnavailableException {
    public OrderStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
