package io.tilemud.localstack;

import io.tilemud.embedded.Ports;

import java.util.Optional;

/** One in-process local stack per test JVM, on free ports: starting it is the slow part. */
final class RunningLocalStack {
    private static LocalStack stack;

    private RunningLocalStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            stack = LocalStack.start(new LocalStackOptions(Ports.free(), Ports.free(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 5));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }
}
