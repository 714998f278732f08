package io.tilemud.session;

/** Redis cannot be reached or failed a command; callers answer SERVICE_DEGRADED (transient), never a 500. */
public class CacheUnavailableException extends RuntimeException {
    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
