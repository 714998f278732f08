package io.tilemud.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * Runs in a fresh JVM on a Lambda jar's class path (started by {@link HandlerInitDriver}): constructs one handler
 * class the way the Lambda runtime does (its no-argument constructor, which starts the application context from the
 * environment) and prints how long that took and how long since the JVM started.
 */
public final class InitProbe {
    private InitProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.nanoTime();
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long constructorMs = (System.nanoTime() - t0) / 1_000_000;
        long sinceJvmStartMs = System.currentTimeMillis() - jvmStart;
        // Deterministic where the times are not: on this shared VM a run's time varies by ±15 %.
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        System.out.println("INIT " + args[0] + " constructor_ms=" + constructorMs + " since_jvm_start_ms=" + sinceJvmStartMs
                + " classes_loaded=" + classes);
        if (handler instanceof AutoCloseable closeable) {
            closeable.close();
        }
        System.exit(0);
    }
}
