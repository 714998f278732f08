package io.tilemud.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server (6.2, shipped inside the {@code com.github.codemonstur:embedded-redis} artifact) on a free
 * loopback port, with persistence off: admission state is ephemeral by design.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final String BINARY = "redis-server-6.2.6-v5-linux-amd64";

    private final Process process;
    private final int port;

    private EmbeddedRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static EmbeddedRedis start(Path workDir) {
        return start(workDir, 0);
    }

    /**
     * @param port the loopback port, or 0 for a free one; fault tests restart a killed server on the port its
     *             clients know (as an ElastiCache node replacement keeps the endpoint), and it comes back empty
     */
    public static EmbeddedRedis start(Path workDir, int port) {
        try {
            Files.createDirectories(workDir);
            Path binary = workDir.resolve("redis-server");
            if (!Files.isExecutable(binary)) {
                try (InputStream in = EmbeddedRedis.class.getResourceAsStream("/" + BINARY)) {
                    if (in == null) {
                        throw new IllegalStateException("redis-server binary " + BINARY + " not on the class path");
                    }
                    Path tmp = Files.createTempFile(workDir, "redis", ".tmp");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (port == 0) {
                port = Ports.free();
            }
            Process process = ChildProcesses.startTiedToThisJvm(List.of(binary.toString(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", workDir.toString(), "--protected-mode", "no"), workDir.resolve("redis.log"));
            try {
                Ports.awaitListening(port, Duration.ofSeconds(10), process);
            } catch (RuntimeException notListening) {
                ChildProcesses.stop(process); // a retry starts a fresh one; never leave this one behind
                throw notListening;
            }
            return new EmbeddedRedis(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The redis-server process (a child of the shell that ties it to this JVM): fault tests stop or kill it. */
    public ProcessHandle server() {
        return process.toHandle().children().findFirst()
                .orElseThrow(() -> new IllegalStateException("redis-server is not running"));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Simulates a cache outage (tests of degraded mode) by stopping the server; not restartable. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
