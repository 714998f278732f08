package io.tilemud.discord.relay;

import io.micronaut.core.annotation.Nullable;

/** A room's Discord side as {@code discord_rooms} holds it; ids are null until the relay created them. */
public record RoomSide(@Nullable String roleId, @Nullable String channelId, String status) {
    public static final String PENDING = "PENDING";
    public static final String READY = "READY";
    public static final String UNAVAILABLE = "UNAVAILABLE";
    public static final String DELETED = "DELETED";
}
