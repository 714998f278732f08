package io.tilemud.discord.rest;

import java.time.Duration;

/**
 * Waits for rate limits and retry backoff. Production sleeps the thread ({@link ThreadSleeper}); tests record the
 * waits and advance their clock instead, so a 31 s retry budget is measured without 31 s of sleeping.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
}
