package io.tilemud.rooms;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.util.UUID;

/** Rooms without Discord (DSC-04): no command is ever queued and nothing is refused for Discord's sake. */
@Singleton
@Secondary
public class NoVoiceCommands implements VoiceCommands {
    @Override
    public boolean full() {
        return false;
    }

    @Override
    public void roomCreated(UUID roomId, UUID ownerId) {
    }

    @Override
    public void memberJoined(UUID roomId, UUID userId) {
    }

    @Override
    public void memberLeft(UUID roomId, UUID userId) {
    }

    @Override
    public void roomDeleted(UUID roomId) {
    }

    @Override
    public void chat(UUID roomId, String authorName, String text) {
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public boolean gesture(UUID roomId, String messageId, String emoji) {
        return false;
    }
}
