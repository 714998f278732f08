package io.tilemud.session;

/** Outcome of releasing a session's slot (ADM-16, ADM-19). */
public sealed interface ReleaseResult {
    record Released(String sessionId) implements ReleaseResult {
    }

    /** Unknown session, or one belonging to another user (the caller cannot tell which, RT-12). */
    record NotFound() implements ReleaseResult {
    }

    record Unavailable() implements ReleaseResult {
    }
}
