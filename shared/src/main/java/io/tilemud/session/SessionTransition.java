package io.tilemud.session;

/** What a requested session transition led to; a refused transition is a value, not an exception. */
public sealed interface SessionTransition {
    /**
     * The transition happened; {@code session} is the state after it.
     *
     * @param previousConnectionId for a reconnect that took an active session over: the socket it was taken from
     *                             (still registered, to be told and closed); null otherwise
     */
    record Done(Session session, @io.micronaut.core.annotation.Nullable String previousConnectionId)
            implements SessionTransition {
        public Done(Session session) {
            this(session, null);
        }
    }

    /** No such session (never existed, released, or its pending/grace time ran out). */
    record Missing() implements SessionTransition {
    }

    /** The session is not in a state that allows this transition, or the token did not match. */
    record Refused(SessionState current) implements SessionTransition {
    }

    /** Redis is unreachable: nothing changed; the caller retries later. */
    record Unavailable() implements SessionTransition {
    }
}
