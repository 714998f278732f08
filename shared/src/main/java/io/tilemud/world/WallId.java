package io.tilemud.world;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.MappedProperty;

@Embeddable
public record WallId(@MappedProperty("instance_id") String instanceId, int x, int y) {
}
