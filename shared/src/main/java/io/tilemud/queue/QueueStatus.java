package io.tilemud.queue;

import io.micronaut.core.annotation.Nullable;
import io.tilemud.error.ErrorCode;

/** What a queue status poll sees (ADM-15). */
public sealed interface QueueStatus {
    /**
     * Still waiting.
     *
     * @param position             0-based place in the FIFO queue
     * @param depth                entries in the queue
     * @param estimatedWaitSeconds from the promotion rate observed over the last 10 minutes (ADM-23)
     */
    record Waiting(long position, long depth, long estimatedWaitSeconds) implements QueueStatus {
    }

    /** Promoted: the admission result, a pending session to connect to. */
    record Promoted(String sessionId, String reconnectionToken) implements QueueStatus {
    }

    /** Not in this instance's queue (never queued, left, abandoned, or admitted and connected). */
    record NotQueued() implements QueueStatus {
    }

    /** A refused request (bad instance id, not the caller's character, cache down). */
    record Refused(ErrorCode code, @Nullable Long retryAfterSeconds) implements QueueStatus {
    }
}
