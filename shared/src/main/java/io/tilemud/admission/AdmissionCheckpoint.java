package io.tilemud.admission;

/**
 * A hook that runs right before the atomic admission decision. Production has none ({@link NoAdmissionCheckpoint});
 * tests replace it to slow an attempt down and prove a late admission is rolled back (ADM-13).
 */
@FunctionalInterface
public interface AdmissionCheckpoint {
    void beforeDecision(String instanceId, java.util.UUID characterId);
}
