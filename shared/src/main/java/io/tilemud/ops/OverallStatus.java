package io.tilemud.ops;

/** UP: all dependencies answer. DEGRADED: gameplay continues without the cache or registry (RT-07). DOWN: no database. */
public enum OverallStatus {
    UP, DEGRADED, DOWN
}
