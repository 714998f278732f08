package io.tilemud.connection;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param ttl how long a container trusts its copy of a connection or of an instance's members (tests use a short one
 *            where several application contexts share one registry)
 */
@ConfigurationProperties("tilemud.connections.cache")
public record ConnectionCacheSettings(@Bindable(defaultValue = "1s") Duration ttl) {
}
