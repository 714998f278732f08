package io.tilemud.realtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Positive;

/**
 * @param managementEndpoint     {@code https://{api}.execute-api.{region}.amazonaws.com/{stage}} (local:
 *                               {@code http://127.0.0.1:3001/local}); blank where nothing posts to clients
 * @param viewRadiusTiles        players within this Chebyshev distance see each other's deltas (RT-05)
 * @param connectionTtlSeconds   registry TTL: API Gateway's 2 h connection limit plus a margin
 */
@ConfigurationProperties("tilemud.realtime")
public record RealtimeSettings(@Nullable String managementEndpoint, @Positive int viewRadiusTiles,
                               @Positive long connectionTtlSeconds) {
}
