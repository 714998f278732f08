package io.tilemud.embedded.testing;

import com.sun.net.httpserver.HttpServer;
import io.tilemud.embedded.ApplicationProperties;
import io.tilemud.embedded.DevIdentityProvider;
import io.tilemud.embedded.EmbeddedServers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The servers every test in one JVM shares: started on first use, stopped when the JVM exits.
 *
 * <p>A static holder on purpose: the servers are per-process resources, and starting them once per JVM instead of
 * once per test class is what keeps the suite fast. {@code TILEMUD_REDIS_URL}, {@code TILEMUD_JDBC_URL} and
 * {@code TILEMUD_DYNAMODB_ENDPOINT} point the suite at external servers instead.
 */
public final class SharedTestInfra {
    public static final String ISSUER = "https://idp.tilemud.test";
    public static final String AUDIENCE = "tilemud";

    private static volatile SharedTestInfra instance;

    private final EmbeddedServers servers;
    private final DevIdentityProvider identity;
    private final HttpServer jwksServer;

    private SharedTestInfra(EmbeddedServers servers, DevIdentityProvider identity, HttpServer jwksServer) {
        this.servers = servers;
        this.identity = identity;
        this.jwksServer = jwksServer;
    }

    public static SharedTestInfra get() {
        SharedTestInfra local = instance;
        if (local == null) {
            synchronized (SharedTestInfra.class) {
                local = instance;
                if (local == null) {
                    local = start();
                    instance = local;
                }
            }
        }
        return local;
    }

    private static SharedTestInfra start() {
        try {
            Path work = Files.createTempDirectory("tilemud-test-");
            Path cache = Path.of(System.getProperty("java.io.tmpdir"), "tilemud-cache");
            EmbeddedServers servers = EmbeddedServers.start(new EmbeddedServers.Options(work, cache, Optional.empty(), false,
                    env("TILEMUD_REDIS_URL"), env("TILEMUD_JDBC_URL"), env("TILEMUD_DYNAMODB_ENDPOINT")));
            DevIdentityProvider identity = new DevIdentityProvider(ISSUER, AUDIENCE);
            HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] body = identity.jwksJson().getBytes(StandardCharsets.UTF_8);
            jwks.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            jwks.start();
            SharedTestInfra infra = new SharedTestInfra(servers, identity, jwks);
            Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "tilemud-test-infra-stop"));
            return infra;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    public EmbeddedServers servers() {
        return servers;
    }

    public DevIdentityProvider identity() {
        return identity;
    }

    public String jwksUrl() {
        return "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /**
     * Configuration for an application context wired to these servers. {@code tableSuffix}-free on purpose: tests
     * isolate data by using fresh ids, not fresh schemas.
     */
    public Map<String, Object> properties() {
        return ApplicationProperties.of(servers, identity, jwksUrl());
    }

    private void stop() {
        jwksServer.stop(0);
        servers.close();
    }
}
