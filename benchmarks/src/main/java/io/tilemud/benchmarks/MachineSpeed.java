package io.tilemud.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * The VM's speed beside each figure. This machine's speed moved by ~2.7× within an hour (stop 24: the raw EVALSHA
 * ceiling went from 16,273/s to 6,110/s minutes apart), so a figure means something only next to the speed it was
 * measured at. Three readings: two fixed probes run while the stack is idle (the same work each time, in the driver's
 * JVM, so a slower probe is a slower machine, not a slower stack; {@link StackProcess#machine()}) — SHA-256 for the
 * core's own speed and a dependent random walk over 64 MB for memory, which a noisy neighbour slows without any
 * steal — and the hypervisor's steal time from {@code /proc/stat} over each measured window (CPU the guest wanted and
 * did not get; {@link StackProcess.Cpu#perOp}).
 */
final class MachineSpeed {
    private static final int PROBE_BYTES = 4 << 20;
    private static final int WALK_SLOTS = 16 << 20;
    private static final int WALK_STEPS = 200_000;
    private final byte[] block = new byte[PROBE_BYTES];
    private final MessageDigest sha256;
    /** One cycle through every slot in random order (Sattolo's shuffle): each step is a cache miss the CPU cannot guess. */
    private final int[] next = new int[WALK_SLOTS];
    private int at;

    MachineSpeed() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + 7);
        }
        for (int i = 0; i < next.length; i++) {
            next[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = next.length - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        probeMs(); // warms both probes so the first reading is not an interpreter's
        walkNs();
    }

    /** The best of three dependent walks of 200,000 steps over 64 MB, in ns per step (a memory round trip each). */
    double walkNs() {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            int p = at;
            long t0 = System.nanoTime();
            for (int i = 0; i < WALK_STEPS; i++) {
                p = next[p];
            }
            best = Math.min(best, System.nanoTime() - t0);
            at = p; // kept, so the walk is not dead code and the next one starts cold elsewhere
        }
        return (double) best / WALK_STEPS;
    }

    /** The best of five SHA-256 passes over 4 MB, in ms: the least disturbed reading of the same work. */
    double probeMs() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            sha256.update(block);
            sha256.digest();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e6;
    }

    /** The machine's CPU counters (all CPUs, in clock ticks): read before and after a window. */
    record Ticks(long steal, long total) {
        static Ticks now() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long total = 0;
                // user nice system idle iowait irq softirq steal: guest time is already inside user and nice.
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                return new Ticks(f.length > 8 ? Long.parseLong(f[8]) : 0, total);
            } catch (IOException | RuntimeException e) {
                return new Ticks(0, 0);
            }
        }

        /** The ticks of the window since {@code earlier}. */
        Ticks minus(Ticks earlier) {
            return new Ticks(steal - earlier.steal, total - earlier.total);
        }

        /** Steal as a share of all CPU time, for ticks of one window ({@link #minus}). */
        String stealShare() {
            return total <= 0 ? "steal n/a" : String.format("steal %.1f %%", 100.0 * steal / total);
        }
    }
}
