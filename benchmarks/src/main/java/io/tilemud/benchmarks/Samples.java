package io.tilemud.benchmarks;

import java.util.Arrays;

/** A growable array of latencies (ns), thread safe, with the percentiles every driver prints. */
final class Samples {
    private long[] values = new long[1 << 14];
    private int size;

    synchronized void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    static double ms(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "(no samples)";
        }
        return String.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", ms(sorted, 0.50),
                ms(sorted, 0.95), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }
}
