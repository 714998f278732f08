package io.tilemud.discord.relay;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * The Discord relay's loop. Units are in the names.
 *
 * @param pollMillis         an empty outbox is read again after this long
 * @param batchSize          pending commands read per round
 * @param workers            rooms worked on at once (each room's commands stay in order on one worker)
 * @param leaderRetryMillis  a relay that is not the leader tries to become it this often
 * @param leaderLockKey      the PostgreSQL advisory lock key every relay of one database contends for
 * @param gatewayReconnectBaseMillis the gateway's first reconnect wait, doubling up to 5 attempts (Discord: 1 s;
 *                           tests scale it down)
 */
@ConfigurationProperties("tilemud.discord.relay")
public record RelaySettings(@Bindable(defaultValue = "250") @Positive long pollMillis,
                            @Bindable(defaultValue = "100") @Positive int batchSize,
                            @Bindable(defaultValue = "4") @Positive int workers,
                            @Bindable(defaultValue = "5000") @Positive long leaderRetryMillis,
                            @Bindable(defaultValue = "7316090113") long leaderLockKey,
                            @Bindable(defaultValue = "1000") @Positive long gatewayReconnectBaseMillis) {
}
