package io.tilemud.discord.gateway;

import java.util.random.RandomGenerator;

/** A "random" source that always draws the same fraction, so jitter and re-identify waits are exact in tests. */
final class FixedRandom implements RandomGenerator {
    private final double value;

    FixedRandom(double value) {
        this.value = value;
    }

    @Override
    public double nextDouble() {
        return value;
    }

    @Override
    public long nextLong() {
        return (long) (value * Long.MAX_VALUE);
    }
}
