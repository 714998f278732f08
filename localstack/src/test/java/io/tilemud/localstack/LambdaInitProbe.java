package io.tilemud.localstack;

/**
 * Main class for {@link LambdaJarsTest}'s child JVMs: constructs one handler class the way the Lambda runtime does
 * (its no-argument constructor starts the application context from the environment) and says it did. JDK only, so
 * it runs on a Lambda jar's class path.
 */
public final class LambdaInitProbe {
    private LambdaInitProbe() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        System.out.println("INITIALIZED " + args[0] + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        if (handler instanceof AutoCloseable closeable) {
            closeable.close();
        }
        System.exit(0);
    }
}
