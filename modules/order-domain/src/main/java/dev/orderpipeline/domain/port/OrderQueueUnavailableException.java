package dev.orderpipeline.domain.port;

/** The order could not be enqueued; the client must be told to retry, never that the order was accepted. */
public final class OrderQueueUnavailableException extends DependencyUnavailableException {
    public OrderQueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
