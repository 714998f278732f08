package io.tilemud.admission;

import io.micronaut.core.annotation.Nullable;
import io.tilemud.error.ErrorCode;

import java.util.Objects;

/** What one connect attempt resolved to (ADM-13: always one of these, within the timeout). */
public sealed interface AdmissionResult {

    /**
     * A slot is held for the session (pending until its WebSocket connects).
     *
     * @param how               new, pending (a retried connect got the same session), reconnected or replaced
     * @param replacedSessionId the session this one replaced (ADM-09), or null
     */
    record Admitted(String sessionId, String reconnectionToken, How how, @Nullable String replacedSessionId)
            implements AdmissionResult {
        public Admitted {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(reconnectionToken, "reconnectionToken");
            Objects.requireNonNull(how, "how");
        }

        public enum How { NEW, PENDING, RECONNECTED, REPLACED }
    }

    /** Waiting in the instance's FIFO queue at 0-based {@code position} of {@code depth} entries (ADM-10). */
    record Queued(long position, long depth) implements AdmissionResult {
        public Queued {
            if (position < 0 || depth <= position) {
                throw new IllegalArgumentException("position " + position + " outside depth " + depth);
            }
        }
    }

    /**
     * A normal "no" (ADM-20).
     *
     * @param replaceToken      single-use token offered with ALREADY_IN_SESSION on the same instance (ADM-09)
     * @param requiredBuild     the build the instance runs, with VERSION_MISMATCH (ADM-06)
     * @param retryAfterSeconds with RATE_LIMITED and SERVICE_DEGRADED
     */
    record Rejected(ErrorCode reason, @Nullable String replaceToken, @Nullable String requiredBuild,
                    @Nullable Long retryAfterSeconds) implements AdmissionResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        public static Rejected of(ErrorCode reason) {
            return new Rejected(reason, null, null, null);
        }
    }

    /** No outcome within {@code timeoutMillis}; anything decided later is rolled back (ADM-13). */
    record TimedOut() implements AdmissionResult {
    }
}
