package io.tilemud.localstack;

import io.tilemud.contract.Environment;
import io.tilemud.contract.Handlers;
import io.tilemud.embedded.EmbeddedServers;
import io.tilemud.embedded.testing.SharedTestInfra;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What AWS runs is the shaded Lambda jar, not a module's test class path: each handler class of {@link Handlers} is
 * constructed here in a fresh JVM on its jar alone, configured only by the environment variables the CDK stack sets
 * (names from {@link Environment}), with the Lambda's JIT options. The suite's handler tests could not see this:
 * with jackson-databind and snakeyaml test-scoped, the functions jar had no application.yml reader and no JSON log
 * encoder, and an eagerly created Lettuce health indicator failed every handler's init.
 */
class LambdaJarsTest {
    /** The module's jars: the reactor packages functions and websocket-handlers before this module's tests. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static Stream<Arguments> handlers() {
        return Stream.of(
                Arguments.of(Handlers.HTTP.substring(0, Handlers.HTTP.indexOf("::")), Handlers.FUNCTIONS_JAR),
                Arguments.of(Handlers.JANITOR, Handlers.FUNCTIONS_JAR),
                Arguments.of(Handlers.WS_AUTHORIZER, Handlers.WEBSOCKET_JAR),
                Arguments.of(Handlers.WS_CONNECT, Handlers.WEBSOCKET_JAR),
                Arguments.of(Handlers.WS_DISCONNECT, Handlers.WEBSOCKET_JAR),
                Arguments.of(Handlers.WS_INTENTS, Handlers.WEBSOCKET_JAR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handlers")
    void handler_freshJvmOnItsShadedJarWithTheStackEnvironment_initializes(String handlerClass, String jarPath)
            throws Exception {
        // GIVEN the shaded jar the stack deploys and the environment it sets
        Path jar = ROOT.resolve(jarPath);
        assertTrue(Files.isRegularFile(jar), jar + " is built by the reactor before these tests");
        Path probe = Path.of(LambdaInitProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-cp", jar + java.io.File.pathSeparator + probe, LambdaInitProbe.class.getName(), handlerClass)
                .redirectErrorStream(true);
        builder.environment().putAll(stackEnvironment());
        // WHEN the Lambda runtime would construct the handler
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        String text = new String(output, StandardCharsets.UTF_8);
        // THEN it initializes, and its logs are JSON lines (the encoder is in the jar)
        assertTrue(exited, "init did not finish");
        assertEquals(0, process.exitValue(), text);
        assertTrue(text.contains("INITIALIZED " + handlerClass), text);
        assertTrue(text.lines().filter(l -> l.startsWith("{")).findAny().isPresent()
                || text.lines().noneMatch(l -> l.contains("ERROR")), text);
    }

    private static Map<String, String> stackEnvironment() {
        SharedTestInfra infra = SharedTestInfra.get();
        EmbeddedServers servers = infra.servers();
        Map<String, String> env = new java.util.HashMap<>();
        env.put(Environment.BUILD, "dev");
        env.put(Environment.REDIS_URL, servers.redisUrl());
        env.put(Environment.JDBC_URL, servers.jdbcUrl());
        servers.jdbcUsername().ifPresent(u -> env.put(Environment.DB_USERNAME, u));
        servers.jdbcPassword().ifPresent(p -> env.put(Environment.DB_PASSWORD, p));
        env.put(Environment.MIGRATE, "false");
        env.put(Environment.DYNAMODB_ENDPOINT, servers.dynamoDbEndpoint());
        env.put(Environment.JWKS_URL, infra.jwksUrl());
        env.put(Environment.ISSUER, infra.identity().issuer());
        env.put(Environment.AUDIENCE, infra.identity().audience());
        env.put(Environment.WS_MANAGEMENT_ENDPOINT, "http://127.0.0.1:1/local");
        env.put(Environment.ROOMS_INVITE_KEY, "test-only-room-invite-key-0123456789abcdef");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_REGION", "us-east-1");
        return env;
    }
}
