package io.tilemud.realtime;

/**
 * PostgreSQL could not be reached or failed mid-transaction: nothing was stored, and the intent must not be
 * acknowledged (RT-08 answers it with a transient {@code DB_UNAVAILABLE}).
 */
public class ActionLogUnavailableException extends RuntimeException {
    public ActionLogUnavailableException(Throwable cause) {
        super("action log unavailable", cause);
    }
}
