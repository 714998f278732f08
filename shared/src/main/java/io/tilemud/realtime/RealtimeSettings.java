package io.tilemud.realtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Positive;

/**
 * @param managementEndpoint     {@code https://{api}.execute-api.{region}.amazonaws.com/{stage}} (local:
 *                               {@code http://127.0.0.1:3001/local}); blank where nothing posts to clients
 * @param viewRadiusTiles        players within this Chebyshev distance see each other's deltas (RT-05)
 * @param connectionTtlSeconds   registry TTL: API Gateway's 2 h connection limit plus a margin
 * @param movesPerSecond         per-session limit on {@code intent.move} (RT-11), also the burst
 * @param chatsPerSecond         per-session limit on {@code intent.chat} (RT-11)
 * @param actionsPerSecond       per-session limit on {@code intent.action}
 */
@ConfigurationProperties("tilemud.realtime")
public record RealtimeSettings(@Nullable String managementEndpoint, @Positive int viewRadiusTiles,
                               @Positive long connectionTtlSeconds, @Positive int movesPerSecond,
                               @Positive int chatsPerSecond, @Positive int actionsPerSecond) {

    /** The per-second limit of an intent's kind. */
    public int perSecond(Intent intent) {
        return switch (intent) {
            case Intent.Move move -> movesPerSecond;
            case Intent.Chat chat -> chatsPerSecond;
            case Intent.Action action -> actionsPerSecond;
        };
    }
}
