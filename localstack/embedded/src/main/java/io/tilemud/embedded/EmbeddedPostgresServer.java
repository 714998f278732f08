package io.tilemud.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL 16 (zonky binaries from Maven Central). Ephemeral by default; with a data directory it keeps
 * its data across restarts, including a restart after the previous JVM was killed with {@code kill -9}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * @param dataDir  where to keep the cluster; empty for a throw-away one
     * @param durable  {@code true} keeps PostgreSQL's crash-safe defaults (fsync, synchronous commit) so an acked
     *                 write survives a crash; tests pass {@code false} for speed
     */
    public static EmbeddedPostgresServer start(Optional<Path> dataDir, boolean durable) {
        return start(dataDir, durable, Ports.free());
    }

    /**
     * As {@link #start(Optional, boolean)} on a given port: fault tests start a killed server again where its
     * clients expect it (same data directory, same port).
     */
    public static EmbeddedPostgresServer start(Optional<Path> dataDir, boolean durable, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "200")
                    // Per-statement counts and times for whoever asks (the benchmarks print them; a developer can
                    // CREATE EXTENSION pg_stat_statements in psql). "all" counts statements inside functions too,
                    // such as tilemud_apply_intent's. Its cost is a hash update per statement.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track", "all")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off");
            if (dataDir.isPresent()) {
                Path dir = dataDir.get().toAbsolutePath();
                Files.createDirectories(dir);
                stopOrphanedPostmaster(dir);
                builder.setDataDirectory(dir).setCleanDataDirectory(false);
                return new EmbeddedPostgresServer(builder.start(), dir);
            }
            // A throw-away cluster in a directory we know, so postmaster() can find the server's pid.
            Path dir = Files.createTempDirectory("tilemud-pg-");
            builder.setDataDirectory(dir).setCleanDataDirectory(true);
            return new EmbeddedPostgresServer(builder.start(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * A JVM killed with -9 leaves its postmaster running and holding the data directory. We own that directory,
     * so a fast shutdown of the orphan (SIGINT: no new work, roll back open transactions) is the right recovery;
     * committed data is already on disk.
     */
    private static void stopOrphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (orphan.get().isAlive() && System.nanoTime() < deadline) {
            Ports.sleep(50);
        }
        if (orphan.get().isAlive()) {
            orphan.get().destroyForcibly();
        }
    }

    /**
     * The running postmaster (its backends are its children), from {@code postmaster.pid}: fault tests stop
     * ({@code SIGSTOP}) or kill it to show what clients see.
     */
    public ProcessHandle postmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
            return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("postmaster " + pid + " is gone"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
