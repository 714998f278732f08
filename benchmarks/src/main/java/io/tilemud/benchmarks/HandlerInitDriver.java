package io.tilemud.benchmarks;

import io.tilemud.contract.Environment;
import io.tilemud.contract.Handlers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's "Lambda handler init (fresh JVM, no SnapStart) ≤ 1 s per handler class": every handler class of
 * {@link Handlers}, constructed in a JVM of its own started with the Lambda's {@code JAVA_TOOL_OPTIONS}, on its
 * shaded Lambda jar, configured through the same environment variables the CDK stack sets, against the servers of a
 * local stack started for the run. Prints each class's constructor time (the Lambda init phase) and the time since
 * its JVM started; min and median of {@code runs} fresh JVMs each.
 *
 * <p>Not Lambda's CPU: a 1024 MB function gets about 0.6 of a vCPU, this machine gives a JVM up to 2 cores.
 *
 * <p>Arguments: runs per class (3); {@code cds} to measure each class also with an AppCDS archive made by a
 * training run of that class on the same JVM. Lambda's managed runtime cannot use such an archive dependably (AWS
 * updates its JVM, and a JVM silently ignores an archive another build wrote): it is what a custom runtime or a
 * container image that pins its JDK would start with, printed beside the plain figure to size that route.
 */
public final class HandlerInitDriver {
    private static final Pattern LINE = Pattern.compile("INIT (\\S+) constructor_ms=(\\d+) since_jvm_start_ms=(\\d+) classes_loaded=(\\d+)");
    /** As {@code FunctionEnvironment.JAVA_TOOL_OPTIONS} in infra-cdk: the JIT profile a Lambda starts with. */
    private static final String LAMBDA_JIT = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private HandlerInitDriver() {
    }

    private record Probe(String handlerClass, String jar) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        boolean cds = args.length > 1 && args[1].equals("cds");
        List<Probe> probes = List.of(
                new Probe(Handlers.HTTP.substring(0, Handlers.HTTP.indexOf("::")), Handlers.FUNCTIONS_JAR),
                new Probe(Handlers.JANITOR, Handlers.FUNCTIONS_JAR),
                new Probe(Handlers.WS_AUTHORIZER, Handlers.WEBSOCKET_JAR),
                new Probe(Handlers.WS_CONNECT, Handlers.WEBSOCKET_JAR),
                new Probe(Handlers.WS_DISCONNECT, Handlers.WEBSOCKET_JAR),
                new Probe(Handlers.WS_INTENTS, Handlers.WEBSOCKET_JAR));
        int status = 0;
        try (StackProcess stack = StackProcess.start()) {
            Map<String, String> env = environment(stack);
            System.out.printf("handler init, fresh JVM each (%s), %d runs per class; loadavg %s%n", LAMBDA_JIT, runs,
                    Files.readString(Path.of("/proc/loadavg")).trim());
            Path work = Files.createTempDirectory("tilemud-init-");
            Path probeJar = cds ? probeJar(work) : Path.of("target/classes").toAbsolutePath();
            for (Probe probe : probes) {
                report(probe.handlerClass(), "", runs, () -> probe(probe, env, probeJar, List.of()));
                if (cds) {
                    Path archive = work.resolve(probe.handlerClass() + ".jsa");
                    probe(probe, env, probeJar, List.of("-XX:ArchiveClassesAtExit=" + archive));
                    report(probe.handlerClass(), "+AppCDS", runs,
                            () -> probe(probe, env, probeJar, List.of("-XX:SharedArchiveFile=" + archive)));
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private interface Run {
        long[] once() throws IOException, InterruptedException;
    }

    private static void report(String handlerClass, String variant, int runs, Run run)
            throws IOException, InterruptedException {
        long[] constructor = new long[runs];
        long[] sinceStart = new long[runs];
        long classes = 0;
        for (int i = 0; i < runs; i++) {
            long[] r = run.once();
            constructor[i] = r[0];
            sinceStart[i] = r[1];
            classes = r[2];
        }
        Arrays.sort(constructor);
        Arrays.sort(sinceStart);
        long median = constructor[runs / 2];
        System.out.printf("  %-55s %-7s constructor min %5d / median %5d ms; since JVM start min %5d / median %5d ms; %,d classes %s%n",
                handlerClass, variant, constructor[0], median, sinceStart[0], sinceStart[runs / 2], classes,
                median <= 1000 ? "(≤ 1 s: met)" : "(> 1 s: NOT MET)");
    }

    /** AppCDS archives only a class path of jars: the probe class goes into one of its own. */
    private static Path probeJar(Path work) throws IOException {
        String entry = InitProbe.class.getName().replace('.', '/') + ".class";
        Path jar = work.resolve("init-probe.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(Path.of("target/classes").resolve(entry)));
            out.closeEntry();
        }
        return jar.toAbsolutePath();
    }

    /** The variables the CDK stack sets (names from {@link Environment}), pointed at the local stack's servers. */
    private static Map<String, String> environment(StackProcess stack) {
        String base = "http://127.0.0.1:" + stack.httpPort;
        Map<String, String> env = new java.util.HashMap<>();
        env.put(Environment.BUILD, "dev");
        env.put(Environment.REDIS_URL, stack.redisUrl);
        env.put(Environment.JDBC_URL, stack.jdbcUrl);
        env.put(Environment.MIGRATE, "false");
        env.put(Environment.DYNAMODB_ENDPOINT, stack.dynamoDbEndpoint);
        env.put(Environment.JWKS_URL, base + "/dev/jwks.json");
        env.put(Environment.ISSUER, base + "/dev");
        env.put(Environment.AUDIENCE, "tilemud");
        env.put(Environment.WS_MANAGEMENT_ENDPOINT, "http://127.0.0.1:" + stack.wsPort + "/local");
        env.put(Environment.ROOMS_INVITE_KEY, "bench-only-room-invite-key-0123456789abcdef");
        // DynamoDB Local takes any credentials; the SDK reads these from the environment as in Lambda.
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    /** @return {constructor ms, since JVM start ms, classes loaded} of one fresh JVM */
    private static long[] probe(Probe probe, Map<String, String> env, Path probeClassPath, List<String> jvmArgs)
            throws IOException, InterruptedException {
        Path jar = Path.of("..").resolve(probe.jar()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run.sh builds it");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(LAMBDA_JIT.split(" ")));
        command.addAll(jvmArgs);
        command.addAll(List.of("-Xmx768m", "-cp", jar + ":" + probeClassPath,
                InitProbe.class.getName(), probe.handlerClass()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(probe.handlerClass() + " did not start:\n" + new String(out, StandardCharsets.UTF_8));
        }
        Matcher m = LINE.matcher(new String(out, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no INIT line from " + probe.handlerClass() + ":\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new long[]{Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))};
    }
}
