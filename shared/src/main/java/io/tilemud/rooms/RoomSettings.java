package io.tilemud.rooms;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Rooms (ROOM-01..04). Units are in the names.
 *
 * @param inviteKey              HMAC-SHA256 key of invite tokens, at least 32 characters. In AWS it comes from the
 *                               Secrets Manager secret named by {@code TILEMUD_ROOMS_INVITE_SECRET_ARN}; the local
 *                               stack and the tests set a dev key. No default: unset, invites cannot be issued or
 *                               verified ({@link InviteTokens}). Changing it voids every invite out there.
 * @param inviteTtlSeconds       how long an invite token works (24 h)
 * @param capacity               members per room
 * @param idleSeconds            no member activity for this long and the janitor closes the room
 * @param closingWarningSeconds  how long before deletion members get {@code room.closing}
 * @param chatsPerSecond         per-user limit on {@code room.chat}, also the burst
 * @param resumeMaxEvents        at most this many missed events in one {@code room.resume} answer
 * @param reactionsPerSecond     DSC-03 {@code room.react}: per user and, separately, per room channel (also the burst)
 * @param typingPerSecond        DSC-03 {@code room.typing}: per user and per room channel (also the burst)
 */
@ConfigurationProperties("tilemud.rooms")
public record RoomSettings(@Nullable String inviteKey,
                           @Bindable(defaultValue = "86400") @Positive long inviteTtlSeconds,
                           @Bindable(defaultValue = "4") @Positive int capacity,
                           @Bindable(defaultValue = "3600") @Positive long idleSeconds,
                           @Bindable(defaultValue = "30") @PositiveOrZero int closingWarningSeconds,
                           @Bindable(defaultValue = "5") @Positive int chatsPerSecond,
                           @Bindable(defaultValue = "200") @Positive int resumeMaxEvents,
                           @Bindable(defaultValue = "2") @Positive int reactionsPerSecond,
                           @Bindable(defaultValue = "1") @Positive int typingPerSecond) {
}
