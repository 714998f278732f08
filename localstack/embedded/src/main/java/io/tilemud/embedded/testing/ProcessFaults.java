package io.tilemud.embedded.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Faults of a server process for fault-injection tests: a stall ({@code SIGSTOP}: the process keeps its sockets
 * open but never answers, like a hung host or a network partition) and a crash ({@code SIGKILL}). Signals go to the
 * process and all its descendants (PostgreSQL's backends are children of the postmaster).
 */
public final class ProcessFaults {
    private ProcessFaults() {
    }

    /** A stall in force until {@link #close()} sends {@code SIGCONT}: use it in try-with-resources, so it always ends. */
    public static final class Stall implements AutoCloseable {
        private final List<ProcessHandle> stopped;
        private boolean resumed;

        private Stall(List<ProcessHandle> stopped) {
            this.stopped = stopped;
        }

        /** Resumes every stopped process; safe to call twice. */
        @Override
        public synchronized void close() {
            if (!resumed) {
                resumed = true;
                signal("CONT", stopped, true);
            }
        }
    }

    /** Stops {@code root} and its descendants at once ({@code SIGSTOP}). */
    public static Stall stall(ProcessHandle root) {
        List<ProcessHandle> tree = tree(root);
        signal("STOP", tree, true);
        return new Stall(tree);
    }

    /** Kills {@code root} and its descendants ({@code SIGKILL}, no clean-up) and waits until they are gone. */
    public static void kill(ProcessHandle root) {
        List<ProcessHandle> tree = tree(root);
        signal("KILL", tree, false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle p : tree) {
            // A killed server whose parent has not reaped it yet (our wrapper shell is blocked in `read`) is a
            // zombie: dead, its sockets closed, but still "alive" to ProcessHandle until reaped.
            while (p.isAlive() && !isZombie(p)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("process " + p.pid() + " did not die");
                }
                Thread.onSpinWait();
            }
        }
    }

    private static boolean isZombie(ProcessHandle p) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "stat"));
            // the state follows the parenthesised command name, which may itself contain spaces or parentheses
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // no /proc entry: gone
        }
    }

    private static List<ProcessHandle> tree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).toList();
    }

    /** @param strict fail when a process could not be signalled (for KILL a process exiting meanwhile is fine) */
    private static void signal(String signal, List<ProcessHandle> processes, boolean strict) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || (strict && kill.exitValue() != 0)) {
                String output = new String(kill.getInputStream().readAllBytes());
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
