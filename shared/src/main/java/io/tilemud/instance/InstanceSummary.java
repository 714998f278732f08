package io.tilemud.instance;

import io.micronaut.core.annotation.Nullable;

/**
 * One entry of the player-facing instance list (WEB-02).
 *
 * @param occupancy  slots held right now; null while the cache cannot tell
 * @param queueDepth players waiting; null while the cache cannot tell
 */
public record InstanceSummary(String id, InstanceState state, String build, int capacity, @Nullable Long occupancy,
                              @Nullable Long queueDepth) {
}
