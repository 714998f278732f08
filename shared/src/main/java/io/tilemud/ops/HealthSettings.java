package io.tilemud.ops;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** @param probeTimeout how long one dependency check may take before it counts as DOWN */
@ConfigurationProperties("tilemud.health")
public record HealthSettings(@NotNull Duration probeTimeout) {
}
