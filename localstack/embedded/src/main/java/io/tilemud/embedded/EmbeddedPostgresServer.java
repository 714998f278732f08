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

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param dataDir  where to keep the cluster; empty for a throw-away one
     * @param durable  {@code true} keeps PostgreSQL's crash-safe defaults (fsync, synchronous commit) so an acked
     *                 write survives a crash; tests pass {@code false} for speed
     */
    public static EmbeddedPostgresServer start(Optional<Path> dataDir, boolean durable) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(Ports.free())
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off");
            if (dataDir.isPresent()) {
                Path dir = dataDir.get().toAbsolutePath();
                Files.createDirectories(dir);
                stopOrphanedPostmaster(dir);
                builder.setDataDirectory(dir).setCleanDataDirectory(false);
            }
            return new EmbeddedPostgresServer(builder.start());
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
