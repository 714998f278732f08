package io.tilemud.instance;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A running world players are admitted to.
 *
 * @param capacity how many sessions may hold a slot at once
 * @param build    the exact client build it accepts (lockstep, ADM-06)
 * @param width    world width in tiles
 * @param height   world height in tiles
 */
@MappedEntity("instances")
public record GameInstance(@Id String id, int capacity, String build, InstanceState state, int width, int height,
                           Instant updatedAt) {
}
