package io.tilemud.logging;

/**
 * Field names of structured log lines. {@link #ATTEMPT_ID} and {@link #SESSION_ID} travel in the SLF4J MDC so every
 * line of one attempt correlates; the rest are per-event key/values. Tokens, secrets and emails are never logged.
 */
public enum LogKey {
    EVENT("event"),
    ATTEMPT_ID("attemptId"),
    SESSION_ID("sessionId"),
    INSTANCE_ID("instanceId"),
    CHARACTER_ID("characterId"),
    USER_ID("userId"),
    REASON("reason"),
    POSITION("position"),
    LATENCY_MS("latencyMs"),
    WAIT_MS("waitMs"),
    COUNT("count");

    private final String key;

    LogKey(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
