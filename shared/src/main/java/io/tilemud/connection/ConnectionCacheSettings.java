package io.tilemud.connection;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param ttl        how long a container trusts its copy of an instance's members: a player who just connected gets
 *                   live deltas from this container within it (and the rest through the resume)
 * @param bindingTtl how long an unused copy of a connection's binding is kept
 */
@ConfigurationProperties("tilemud.connections.cache")
public record ConnectionCacheSettings(@Bindable(defaultValue = "1s") Duration ttl,
                                      @Bindable(defaultValue = "10m") Duration bindingTtl) {
}
