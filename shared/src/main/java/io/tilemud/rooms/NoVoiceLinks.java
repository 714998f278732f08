package io.tilemud.rooms;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.UUID;

/** Rooms without Discord (DSC-04: everything Discord is optional): no room has a voice link. */
@Singleton
@Secondary
public class NoVoiceLinks implements VoiceLinks {
    @Override
    public Optional<String> linkOf(UUID roomId) {
        return Optional.empty();
    }

    @Override
    public void roomDeleted(UUID roomId) {
        // nothing to delete
    }
}
