package io.tilemud.realtime;

import io.tilemud.error.ErrorCode;

/** What became of an intent. Only {@link Applied} and {@link Replayed} are acknowledged. */
public sealed interface IntentOutcome permits IntentOutcome.Applied, IntentOutcome.Replayed, IntentOutcome.Rejected {
    long seq();

    /** Committed to PostgreSQL: position after the intent (unchanged for chat and actions). */
    record Applied(long seq, String kind, int x, int y) implements IntentOutcome {
    }

    /** {@code seq} was already applied: acknowledge again, apply nothing (idempotent replay). */
    record Replayed(long seq) implements IntentOutcome {
    }

    /** Nothing was stored. */
    record Rejected(long seq, ErrorCode code, String message) implements IntentOutcome {
    }
}
