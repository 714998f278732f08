package io.tilemud.realtime;

import java.util.UUID;

/**
 * The durable record of acknowledged intents (RT-03, RT-04, RT-06). Each call is one PostgreSQL transaction: the
 * sequence check, the rules, the action event and its effect on the character commit together or not at all.
 */
public interface ActionLog {

    /**
     * Applies {@code intent} of {@code sessionId}'s character on {@code instanceId}. Concurrent calls for one
     * character are serialized (row lock), so a racing duplicate is recognised as a replay.
     */
    IntentOutcome apply(String sessionId, UUID characterId, String instanceId, Intent intent);

    /** Highest applied seq of the session; 0 before the first. */
    long lastSeq(String sessionId);
}
