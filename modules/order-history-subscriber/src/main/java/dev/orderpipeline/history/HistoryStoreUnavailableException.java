package dev.orderpipeline.history;

/** The history store refused or failed a write; the message is retried (and, if it keeps failing, dead-lettered). */
public class HistoryStoreUnavailableException extends RuntimeException {
    public HistoryStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
