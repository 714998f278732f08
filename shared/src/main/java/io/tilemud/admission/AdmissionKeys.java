package io.tilemud.admission;

import java.util.List;

/**
 * Redis key names of admission state: the one source of truth for the scripts' callers, the local stack and tests.
 * Per-instance keys carry the hash tag {@code {instanceId}}; the three global hashes hold cross-instance facts
 * (see the header of {@code lua/admission/common.lua} for the layout and the Redis Cluster caveat).
 */
public final class AdmissionKeys {
    public static final String CHARACTER_LOCKS = "tm:char-locks";
    public static final String SESSION_INSTANCE = "tm:session-instance";
    public static final String ACTIVE_CHARACTER = "tm:active-character";
    /** Marker of a Redis that holds the ledger (see common.lua, key 13); absent = lost, rebuild first. */
    public static final String LEDGER = "tm:ledger";
    /** Who is rebuilding the ledger right now (SET NX with an expiry). */
    public static final String LEDGER_REBUILD_LOCK = "tm:ledger-rebuild";

    private AdmissionKeys() {
    }

    public static String slots(String instanceId) {
        return instanceKey(instanceId, "slots");
    }

    public static String sessions(String instanceId) {
        return instanceKey(instanceId, "sessions");
    }

    public static String queue(String instanceId) {
        return instanceKey(instanceId, "queue");
    }

    public static String queueSeq(String instanceId) {
        return instanceKey(instanceId, "queue-seq");
    }

    public static String queued(String instanceId) {
        return instanceKey(instanceId, "queued");
    }

    public static String polls(String instanceId) {
        return instanceKey(instanceId, "polls");
    }

    public static String replace(String instanceId) {
        return instanceKey(instanceId, "replace");
    }

    public static String stats(String instanceId) {
        return instanceKey(instanceId, "stats");
    }

    public static String promotions(String instanceId) {
        return instanceKey(instanceId, "promotions");
    }

    /** KEYS of admit/release/session/status scripts, in the order their header documents. */
    public static List<String> scriptKeys(String instanceId) {
        return List.of(slots(instanceId), sessions(instanceId), queue(instanceId), queueSeq(instanceId),
                queued(instanceId), polls(instanceId), replace(instanceId), stats(instanceId), promotions(instanceId),
                CHARACTER_LOCKS, SESSION_INSTANCE, ACTIVE_CHARACTER, LEDGER);
    }

    public static String rateLimitFailures(String subject) {
        return "tm:rl:{" + subject + "}:failures";
    }

    public static String rateLimitLock(String subject) {
        return "tm:rl:{" + subject + "}:lock";
    }

    private static String instanceKey(String instanceId, String part) {
        return "tm:{" + instanceId + "}:" + part;
    }
}
