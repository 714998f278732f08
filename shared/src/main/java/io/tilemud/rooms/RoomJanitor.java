package io.tilemud.rooms;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * ROOM-04, the rooms part of the scheduled janitor: rooms without member activity for
 * {@link RoomSettings#idleSeconds()} get {@code room.closing {inSeconds}}; a run at least
 * {@link RoomSettings#closingWarningSeconds()} later deletes them with {@code room.deleted}. With the janitor once
 * a minute a room goes between 30 and 90 s after its warning. Both steps are conditional updates under
 * {@code SKIP LOCKED}, so two janitors at once warn and delete each room once.
 */
@Singleton
public class RoomJanitor {
    private final RoomRepository rooms;
    private final RoomDelivery delivery;
    private final VoiceLinks voice;
    private final RoomSettings settings;
    private final Clock clock;

    public RoomJanitor(RoomRepository rooms, RoomDelivery delivery, VoiceLinks voice, RoomSettings settings, Clock clock) {
        this.rooms = rooms;
        this.delivery = delivery;
        this.voice = voice;
        this.settings = settings;
        this.clock = clock;
    }

    /** @return rooms warned plus rooms deleted */
    public int sweep() {
        Instant now = clock.instant();
        // Deletion first: a room warned in this run gets its full warning period.
        List<RoomEvent> deleted = rooms.deleteClosed(now.minusSeconds(settings.closingWarningSeconds()), now);
        List<RoomEvent> warned = rooms.warnIdle(now.minusSeconds(settings.idleSeconds()), settings.closingWarningSeconds(), now);
        List<UUID> touched = java.util.stream.Stream.concat(deleted.stream(), warned.stream()).map(RoomEvent::roomId).toList();
        delivery.deliver(touched);
        deleted.forEach(event -> voice.roomDeleted(event.roomId()));
        return deleted.size() + warned.size();
    }
}
