package io.tilemud.admission;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.util.UUID;

/** Production {@link AdmissionCheckpoint}: does nothing. */
@Singleton
@Secondary
public class NoAdmissionCheckpoint implements AdmissionCheckpoint {
    @Override
    public void beforeDecision(String instanceId, UUID characterId) {
        // nothing to do
    }
}
