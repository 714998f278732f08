package io.tilemud.functions.admission;

import io.micronaut.context.annotation.Replaces;
import io.tilemud.admission.AdmissionCheckpoint;
import io.tilemud.admission.NoAdmissionCheckpoint;
import jakarta.inject.Singleton;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test double of the step right before the atomic decision: attempts on instances whose id starts with
 * {@link #PREFIX} wait for {@link #release()}, which is how the timeout test makes a decision land late (ADM-13).
 * Every other instance passes straight through.
 */
@Singleton
@Replaces(NoAdmissionCheckpoint.class)
public class SlowCheckpoint implements AdmissionCheckpoint {
    public static final String PREFIX = "slow-";
    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static final CountDownLatch NONE = new CountDownLatch(0);

    public static void hold() {
        gate = new CountDownLatch(1);
    }

    public static void release() {
        gate.countDown();
    }

    @Override
    public void beforeDecision(String instanceId, UUID characterId) {
        if (!instanceId.startsWith(PREFIX)) {
            return;
        }
        try {
            (gate == null ? NONE : gate).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
