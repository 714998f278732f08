package io.tilemud.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * DynamoDB Local (in-memory) in a child JVM on a free loopback port.
 *
 * <p>Its jars are bundled under {@code tilemud/dynamodb-local/} by this module's build. They run on their own class
 * path because DynamoDB Local brings its own AWS SDK, Jetty and log4j versions.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private static final String BUNDLE = "tilemud/dynamodb-local/";
    private static final String MARKER = "tilemud/dynamodb-local.marker";
    private static final String LAUNCHER = DynamoDbLocalLauncher.class.getName().replace('.', '/') + ".class";

    private final Process process;
    private final int port;

    private EmbeddedDynamoDb(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param cacheDir where the bundled jars are unpacked once and reused by later starts (and other JVMs)
     * @param workDir  where this instance writes its log
     */
    public static EmbeddedDynamoDb start(Path cacheDir, Path workDir) {
        Path libs = unpack(cacheDir);
        int port = Ports.free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java,
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dsqlite4java.library.path=" + libs, "-Djava.library.path=" + libs,
                "-cp", libs.resolve("launcher") + ":" + libs + "/*",
                DynamoDbLocalLauncher.class.getName(),
                "-inMemory", "-port", String.valueOf(port), "-disableTelemetry");
        Process process = ChildProcesses.startWatchingStdin(command, workDir.resolve("dynamodb-local.log"));
        try {
            Ports.awaitListening(port, Duration.ofSeconds(30), process);
        } catch (RuntimeException notListening) {
            ChildProcesses.stop(process); // a retry starts a fresh one; never leave this one behind
            throw notListening;
        }
        return new EmbeddedDynamoDb(process, port);
    }

    /**
     * Copies the bundled jars out of our jar (or class directory) once per build of it. Several JVMs may race here
     * (parallel test forks): each unpacks into its own folder and the first atomic rename wins.
     */
    private static Path unpack(Path cacheDir) {
        try {
            Path source = bundleLocation();
            String fingerprint = fingerprint(source);
            Path target = cacheDir.resolve("dynamodb-local-" + fingerprint);
            if (Files.isDirectory(target)) {
                return target;
            }
            Files.createDirectories(cacheDir);
            Path staging = Files.createTempDirectory(cacheDir, "unpacking-");
            Files.createDirectories(staging.resolve("launcher").resolve(LAUNCHER).getParent());
            try (InputStream in = EmbeddedDynamoDb.class.getResourceAsStream("/" + LAUNCHER)) {
                Files.copy(in, staging.resolve("launcher").resolve(LAUNCHER), StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.isDirectory(source)) {
                try (var files = Files.list(source.resolve(BUNDLE))) {
                    for (Path file : files.toList()) {
                        Files.copy(file, staging.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                copyFromJar(source, staging);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException lostTheRace) {
                if (!Files.isDirectory(target)) {
                    throw lostTheRace;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack DynamoDB Local", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Names the unpacked copy after the bundle's content (file names, sizes, CRCs), not the jar's time stamp, so
     * rebuilding the local stack does not unpack the same 40 MB again.
     */
    private static String fingerprint(Path source) throws IOException {
        StringBuilder content = new StringBuilder();
        if (Files.isDirectory(source)) {
            try (var files = Files.list(source.resolve(BUNDLE))) {
                for (Path file : files.sorted().toList()) {
                    content.append(file.getFileName()).append(':').append(Files.size(file)).append(';');
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                jar.stream().filter(e -> e.getName().startsWith(BUNDLE)).sorted(java.util.Comparator.comparing(JarEntry::getName))
                        .forEach(e -> content.append(e.getName().substring(BUNDLE.length())).append(':')
                                .append(e.getSize()).append(';'));
            }
        }
        return Integer.toHexString(content.toString().hashCode());
    }

    /** The class directory or jar (plain bundle jar, or the local stack's fat jar) holding the bundle. */
    private static Path bundleLocation() throws URISyntaxException {
        URL marker = EmbeddedDynamoDb.class.getClassLoader().getResource(MARKER);
        if (marker == null) {
            throw new IllegalStateException("DynamoDB Local bundle (tilemud-dynamodb-local) is not on the class path");
        }
        String url = marker.toString();
        if (url.startsWith("jar:")) {
            return Path.of(URI.create(url.substring(4, url.indexOf("!/"))));
        }
        return Path.of(marker.toURI()).getParent().getParent();
    }

    private static void copyFromJar(Path jar, Path target) throws IOException {
        List<String> copied = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(BUNDLE) && !entry.isDirectory()) {
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target.resolve(name.substring(BUNDLE.length())), StandardCopyOption.REPLACE_EXISTING);
                    }
                    copied.add(name);
                }
            }
        }
        if (copied.isEmpty()) {
            throw new IllegalStateException("DynamoDB Local is not bundled in " + jar);
        }
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
