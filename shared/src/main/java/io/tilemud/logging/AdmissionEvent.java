package io.tilemud.logging;

/** Names of the structured admission and session log events (OPS-02): the {@code event} field of each line. */
public enum AdmissionEvent {
    ADMISSION_ATTEMPTED,
    ADMITTED,
    QUEUED,
    PROMOTED,
    ADMISSION_FAILED,
    VERSION_REJECTED,
    ADMISSION_TIMEOUT,
    LATE_ADMISSION_ROLLED_BACK,
    THROTTLED,
    OWNERSHIP_VIOLATION,
    QUEUE_LEFT,
    QUEUE_ABANDONED,
    QUEUE_SKIPPED,
    SESSION_ACTIVATED,
    DISCONNECTED,
    RECONNECTED,
    RECONNECT_FAILED,
    REPLACED,
    SESSION_RELEASED,
    SESSION_EXPIRED,
    /** The cache had lost the admission ledger; live sessions were restored from the connection registry. */
    LEDGER_REBUILT
}
