package io.tilemud.realtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * @param managementEndpoint     {@code https://{api}.execute-api.{region}.amazonaws.com/{stage}} (local:
 *                               {@code http://127.0.0.1:3001/local}); blank where nothing posts to clients
 * @param viewRadiusTiles        players within this Chebyshev distance see each other's deltas (RT-05)
 * @param connectionTtlSeconds   registry TTL: API Gateway's 2 h connection limit plus a margin
 * @param movesPerSecond         per-session limit on {@code intent.move} (RT-11), also the burst
 * @param chatsPerSecond         per-session limit on {@code intent.chat} (RT-11)
 * @param actionsPerSecond       per-session limit on {@code intent.action}
 * @param inactivitySeconds      no client frame for this long ends the session (RT-09); API Gateway's idle timeout
 * @param touchIntervalSeconds   activity is written to the registry at most this often per connection, so a closed
 *                               socket may be judged idle up to twice this early, and the janitor closes an idle
 *                               one up to this much late (never early; see {@code Departures})
 * @param resumeMaxEvents        a reconnecting client further behind than this gets a snapshot instead (RT-06)
 * @param resumeOverlapSeconds   how far before the session entered grace a resume starts: the socket may have been
 *                               dead for a while before API Gateway noticed it (deltas are absolute, so a repeat is
 *                               harmless)
 * @param snapshotMaxPlayers     the nearest players a snapshot lists, which keeps it inside one 32 KiB frame
 */
@ConfigurationProperties("tilemud.realtime")
public record RealtimeSettings(@Nullable String managementEndpoint, @Positive int viewRadiusTiles,
                               @Positive long connectionTtlSeconds, @Positive int movesPerSecond,
                               @Positive int chatsPerSecond, @Positive int actionsPerSecond,
                               @Bindable(defaultValue = "600") @Positive int inactivitySeconds,
                               @Bindable(defaultValue = "30") @Positive int touchIntervalSeconds,
                               @Bindable(defaultValue = "200") @Positive int resumeMaxEvents,
                               @Bindable(defaultValue = "5") @Positive int resumeOverlapSeconds,
                               @Bindable(defaultValue = "150") @Positive int snapshotMaxPlayers) {

    /** The per-second limit of an intent's kind. */
    public int perSecond(Intent intent) {
        return switch (intent) {
            case Intent.Move move -> movesPerSecond;
            case Intent.Chat chat -> chatsPerSecond;
            case Intent.Action action -> actionsPerSecond;
        };
    }
}
