package io.tilemud.world;

import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;

@MappedEntity("world_walls")
public record Wall(@EmbeddedId WallId id) {
}
