package io.tilemud.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack alone in its own process, as a user runs it ({@code java -jar tilemud-localstack.jar}), so the load
 * driver's CPU and garbage never count as the server's. Its CPU is read from {@code /proc/<pid>/stat} (utime + stime)
 * for the stack JVM and, separately, for its child processes (embedded PostgreSQL, Redis, DynamoDB Local).
 *
 * <p>System properties: {@code bench.stackJar} (default {@code ../localstack/target/tilemud-localstack.jar}, relative
 * to the benchmarks module), {@code bench.stackJvmArgs} (extra JVM options, space separated), {@code bench.jfr} (a
 * file: a JFR profile of the stack over the measured window only, started and dumped with {@code jcmd}).
 */
final class StackProcess implements AutoCloseable {
    private static final Pattern REDIS = Pattern.compile("(?m)^redis\\s+(\\S+)");
    private static final Pattern DYNAMODB = Pattern.compile("(?m)^dynamodb\\s+(\\S+)");
    private static final Pattern JDBC = Pattern.compile("(?m)^postgresql\\s+(\\S+)");
    private static final Pattern READY = Pattern.compile("local stack ready in (\\d+) ms");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** USER_HZ: the unit of utime/stime in /proc on Linux (getconf CLK_TCK). */
    private static final double MS_PER_TICK = 10.0;

    private final Process process;
    private final Path log;
    final int httpPort;
    final int wsPort;
    final String redisUrl;
    final String jdbcUrl;
    /** DynamoDB Local's endpoint as the banner names it (null if it did not). */
    String dynamoDbEndpoint;
    final long readyMillis;
    private final HttpClient http = HttpClient.newHttpClient();
    private final MachineSpeed speed = new MachineSpeed();

    private StackProcess(Process process, Path log, int httpPort, int wsPort, String redisUrl, String jdbcUrl,
                         long readyMillis) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.wsPort = wsPort;
        this.redisUrl = redisUrl;
        this.jdbcUrl = jdbcUrl;
        this.readyMillis = readyMillis;
    }

    static StackProcess start() throws Exception {
        Path jar = Path.of(System.getProperty("bench.stackJar", "../localstack/target/tilemud-localstack.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -ntp -q -DskipTests -pl localstack -am package");
        }
        int httpPort = freePort();
        int wsPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As run.sh starts it.
        command.add("-Dhttp.maxConnections=64");
        if (!System.getProperty("bench.jfr", "").isBlank()) {
            // JFR keeps 64 frames by default; Micronaut's reactive filter chain alone is deeper, and a cut stack loses
            // the outer frames that say which route a sample belongs to.
            command.add("-XX:FlightRecorderOptions:stackdepth=512");
        }
        String extra = System.getProperty("bench.stackJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "--http-port", Integer.toString(httpPort), "--ws-port",
                Integer.toString(wsPort), "--janitor-seconds", "3600"));
        Path log = Files.createTempFile("tilemud-bench-stack-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the stack exited with " + process.exitValue() + "; its output: " + log);
            }
            String text = Files.readString(log);
            Matcher ready = READY.matcher(text);
            if (ready.find()) {
                Matcher redis = REDIS.matcher(text);
                Matcher jdbc = JDBC.matcher(text);
                if (!redis.find() || !jdbc.find()) {
                    throw new IllegalStateException("banner without server URLs; see " + log);
                }
                StackProcess stack = new StackProcess(process, log, httpPort, wsPort, redis.group(1), jdbc.group(1),
                        Long.parseLong(ready.group(1)));
                Matcher dynamo = DYNAMODB.matcher(text);
                stack.dynamoDbEndpoint = dynamo.find() ? dynamo.group(1) : null;
                System.out.printf("stack pid %d ready in %d ms (its own process; output in %s)%n", process.pid(),
                        stack.readyMillis, log);
                return stack;
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new IllegalStateException("the stack did not start within 180 s; see " + log);
    }

    /** Starts a JFR profile recording in the stack (when {@code bench.jfr} names a file): the measured window only. */
    void startProfile() {
        if (!System.getProperty("bench.jfr", "").isBlank()) {
            // 2 ms instead of the profile settings' 10 ms: a 15 s window at ~1.5 cores then holds thousands of samples.
            jcmd("JFR.start", "name=bench", "settings=profile", "jdk.ExecutionSample#period=2ms");
        }
    }

    /** Writes the recording started by {@link #startProfile} to {@code bench.jfr} and stops it. */
    void stopProfile() {
        String jfr = System.getProperty("bench.jfr", "").trim();
        if (!jfr.isEmpty()) {
            jcmd("JFR.stop", "name=bench", "filename=" + Path.of(jfr).toAbsolutePath());
            System.out.println("JFR profile of the measured window: " + Path.of(jfr).toAbsolutePath());
        }
    }

    private void jcmd(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid())));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.out.println("jcmd " + String.join(" ", args) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    String managementEndpoint() {
        return "http://127.0.0.1:" + wsPort + "/local";
    }

    /** A dev identity provider token (RS256, 1 h), minted by the stack over HTTP. */
    String mint(String subject, boolean admin) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/dev/token"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("sub", subject)
                            .put("admin", admin).toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST /dev/token: " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body()).get("accessToken").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** CPU consumed so far by the stack JVM and by its descendants (PostgreSQL backends, Redis, DynamoDB Local). */
    record Cpu(double jvmMs, double childrenMs, MachineSpeed.Ticks machine) {
        double totalMs() {
            return jvmMs + childrenMs;
        }

        Cpu minus(Cpu earlier) {
            return new Cpu(jvmMs - earlier.jvmMs, childrenMs - earlier.childrenMs, machine.minus(earlier.machine));
        }

        /** "x ms CPU per op (JVM y + servers z), steal s %": the steal of the same window, for the whole machine. */
        String perOp(long ops) {
            if (ops <= 0) {
                return "n/a";
            }
            return String.format("%.3f ms CPU per op (stack JVM %.3f + its servers %.3f), %s", totalMs() / ops,
                    jvmMs / ops, childrenMs / ops, machine.stealShare());
        }
    }

    /**
     * Sums utime + stime (+ cutime + cstime: children that ended and were reaped, e.g. closed PostgreSQL backends) of
     * the stack JVM, its descendants and the embedded PostgreSQL's postmaster tree: pg_ctl daemonizes it, so it is
     * found by its port instead of by parentage.
     */
    Cpu cpu() {
        long root = process.pid();
        String pgPort = pgPort();
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        List<Long> roots = new ArrayList<>(List.of(root));
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    parents.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                            + Long.parseLong(f[14]));
                    if (pgPort != null && f[1].equals("1")) {
                        String cmdline = Files.readString(dir.resolve("cmdline")).replace('\0', ' ');
                        if (cmdline.contains("postgres") && cmdline.contains(" -p " + pgPort + " ")) {
                            roots.add(pid);
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long children = 0;
        for (Map.Entry<Long, Long> p : parents.entrySet()) {
            long pid = p.getKey();
            if (pid != root && (roots.contains(pid) || roots.stream().anyMatch(r -> descends(pid, r, parents)))) {
                children += ticks.getOrDefault(pid, 0L);
            }
        }
        return new Cpu(ticks.getOrDefault(root, 0L) * MS_PER_TICK, children * MS_PER_TICK, MachineSpeed.Ticks.now());
    }

    private String pgPort() {
        Matcher m = Pattern.compile("jdbc:postgresql://[^:/]+:(\\d+)/").matcher(jdbcUrl);
        return m.find() ? m.group(1) : null;
    }

    private static boolean descends(long pid, long root, Map<Long, Long> parents) {
        for (int depth = 0; depth < 16; depth++) {
            Long parent = parents.get(pid);
            if (parent == null || parent <= 1) {
                return false;
            }
            if (parent == root) {
                return true;
            }
            pid = parent;
        }
        return false;
    }

    /**
     * The load average and the fixed probes ({@link MachineSpeed}), read between windows once the stack has settled,
     * so the probes measure the machine and not the load: right after a round the stack JVM is still compiling and
     * collecting, which read as a machine up to twice as slow (stop 25).
     */
    String machine() {
        long settled = settle();
        return loadavg() + String.format(", probe SHA-256 %.2f ms, memory %.0f ns (stack settled after %d ms)",
                speed.probeMs(), speed.walkNs(), settled);
    }

    /** Waits, at most 2 s, until the stack and its servers use under a tenth of a core; @return ms waited */
    private long settle() {
        long started = System.nanoTime();
        Cpu before = cpu();
        for (int i = 0; i < 20; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Cpu now = cpu();
            if (now.minus(before).totalMs() < 10) {
                break;
            }
            before = now;
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The load average, printed beside every figure (the machine is shared). */
    static String loadavg() {
        try {
            return "loadavg " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "loadavg n/a";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
