package io.tilemud.realtime;

import jakarta.inject.Singleton;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue in front of the database for intents: at most {@link IntentGateSettings#maxInFlight()} are applied at
 * once and the others wait at most {@link IntentGateSettings#queueWaitMillis()}. Past that the intent is refused at
 * once with the transient {@code SERVER_BUSY}, before any work is done, instead of timing out in the JDBC pool a second
 * later ({@code DB_UNAVAILABLE}) while every other intent queues behind it. Thread safe.
 */
@Singleton
public class IntentGate {
    private final Semaphore places;
    private final long waitMillis;

    public IntentGate(IntentGateSettings settings) {
        this.places = new Semaphore(settings.maxInFlight(), true);
        this.waitMillis = settings.queueWaitMillis();
    }

    /** @return true with a place taken (give it back with {@link #leave()}), false when the game is too busy */
    public boolean enter() {
        try {
            return places.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void leave() {
        places.release();
    }
}
