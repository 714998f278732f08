package io.tilemud.error;

/**
 * Every error code a client can see (RT-13, ADM-20). {@code transientFailure} tells clients whether retrying the same
 * request later can succeed.
 */
public enum ErrorCode {
    NOT_AUTHENTICATED(false),
    FORBIDDEN(false),
    NOT_FOUND(false),
    BAD_REQUEST(false),
    VALIDATION_FAILED(false),
    PAYLOAD_TOO_LARGE(false),
    UNSUPPORTED_MEDIA_TYPE(false),
    METHOD_NOT_ALLOWED(false),
    NAME_TAKEN(false),
    NO_ACTIVE_CHARACTER(false),
    ALREADY_IN_SESSION(false),
    CAPACITY_FULL(true),
    QUEUE_FULL(true),
    VERSION_MISMATCH(false),
    MAINTENANCE(true),
    DRAIN_MODE(true),
    INVALID_INSTANCE(false),
    CHARACTER_SUSPENDED(false),
    RATE_LIMITED(true),
    TIMEOUT(true),
    SERVICE_DEGRADED(true),
    DB_UNAVAILABLE(true),
    /** Too many intents are being applied at once: refused before any work, resend it shortly (RT-08). */
    SERVER_BUSY(true),
    /**
     * The queue was emptied when the cache lost its state: the place is gone, connecting again queues anew (a
     * distinct code so a client rejoins at once instead of showing "not queued").
     */
    QUEUE_RESET(true),
    /** A realtime intent's seq skipped ahead or went backwards past the replay window (RT-03). */
    SEQ_OUT_OF_ORDER(false),
    /** A move off the map, into a wall or further than one tile (RT-04). */
    INVALID_MOVE(false),
    /** The player is in a room already; leave it first (ROOM-01). */
    ALREADY_IN_ROOM(false),
    /** The room has its four members; a place may free up (ROOM-01). */
    ROOM_FULL(true),
    /** The invite token is older than 24 h: ask a member for a fresh one (ROOM-01). */
    INVITE_EXPIRED(false),
    /** The invite token is not one of ours, was altered, or names a room that is gone (ROOM-01). */
    INVITE_INVALID(false),
    /**
     * The Discord command queue holds its cap (1000) of pending commands: room work that would add to it (create,
     * join, chat, react, typing) is refused with nothing changed until the relay catches up (DSC-01).
     */
    DISCORD_QUEUE_FULL(true),
    /** Linking a Discord account failed: a bad or used authorization code, or the account is another player's. */
    DISCORD_LINK_FAILED(false),
    INTERNAL_ERROR(true);

    private final boolean transientFailure;

    ErrorCode(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
