package io.tilemud.embedded;

import java.lang.reflect.Method;

/**
 * Main class of the DynamoDB Local child JVM. It runs there with only DynamoDB Local's own jars beside it, so it
 * must use nothing but the JDK; it exits when its parent closes our stdin (see {@link ChildProcesses}).
 */
public final class DynamoDbLocalLauncher {
    private DynamoDbLocalLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // keep reading until the parent goes away
                }
            } catch (java.io.IOException ignored) {
                // a broken pipe means the same thing as EOF
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class<?> runner = Class.forName("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
        Method main = runner.getMethod("main", String[].class);
        main.invoke(null, (Object) args);
    }
}
