package io.tilemud.instance;

/** Lifecycle of a game instance, set by operators (ADM-21). */
public enum InstanceState {
    /** Admits and queues players. */
    ACCEPTING,
    /** Refuses new admissions with MAINTENANCE (ADM-07). */
    MAINTENANCE,
    /** No new enqueues; the queue keeps draining FIFO; reconnections in grace honoured (ADM-11). */
    DRAINING,
    /** Not running: admissions fail with INVALID_INSTANCE (ADM-05). */
    STOPPED
}
