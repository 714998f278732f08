package io.tilemud.discord.rest;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.time.Duration;

/** The real wait: the relay's worker thread sleeps (the relay is a long-running process, not a Lambda). */
@Singleton
@Secondary
public class ThreadSleeper implements Sleeper {
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration);
        }
    }
}
