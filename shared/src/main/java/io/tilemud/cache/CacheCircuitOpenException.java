package io.tilemud.cache;

import io.lettuce.core.RedisException;

/**
 * The Redis circuit breaker is open: the cache is known to be down, so the call was not even tried. A
 * {@link RedisException}, so every caller that already treats a Redis failure as "cache down" (RT-07, ADM-20)
 * handles it the same way, at the cost of microseconds instead of a timeout.
 */
public class CacheCircuitOpenException extends RedisException {
    public CacheCircuitOpenException(Throwable cause) {
        super("redis circuit breaker is open: cache known down", cause);
    }
}
