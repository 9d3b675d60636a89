package dev.orderpipeline.domain.port;

/**
 * A downstream dependency (queue, table, bus) did not do what was asked, for a reason that a retry may fix:
 * throttling, a timeout, an outage. Adapters translate SDK exceptions into this type and keep the cause.
 */
public class DependencyUnavailableException extends RuntimeException {
    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
