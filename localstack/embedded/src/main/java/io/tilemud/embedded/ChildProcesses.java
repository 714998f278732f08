package io.tilemud.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts server binaries so that they die with this JVM, even on {@code kill -9}.
 *
 * <p>The JVM cannot ask Linux for a parent-death signal, so each child runs under a tiny shell that holds
 * the write end of a pipe owned by this JVM: when the JVM goes away, for whatever reason, the pipe closes,
 * {@code read} returns and the shell terminates the server. Without it a killed local stack would leave
 * redis-server and DynamoDB Local running forever.
 */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /** For a child that watches its own stdin for EOF (our DynamoDB Local launcher): no shell in between. */
    static Process startWatchingStdin(List<String> command, Path log) {
        return start(command, log);
    }

    static Process startTiedToThisJvm(List<String> command, Path log) {
        List<String> wrapped = new ArrayList<>();
        wrapped.add("/bin/sh");
        wrapped.add("-c");
        // "$@" keeps every argument intact; the trap covers the orderly stop from this JVM too. The server's own
        // stdin is /dev/null (sh does that for background jobs), so only the shell watches the pipe.
        wrapped.add("\"$@\" & child=$!; trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; "
                + "while read -r _; do :; done; kill $child 2>/dev/null; wait $child");
        wrapped.add("tilemud-child");
        wrapped.addAll(command);
        return start(wrapped, log);
    }

    private static Process start(List<String> command, Path log) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
    }

    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // closing our end is the signal; the shell is already going away if this fails
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
