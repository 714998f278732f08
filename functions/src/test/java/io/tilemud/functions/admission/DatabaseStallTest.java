package io.tilemud.functions.admission;

import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.embedded.EmbeddedPostgresServer;
import io.tilemud.embedded.testing.ProcessFaults;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.Tokens;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.User;
import io.tilemud.user.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 with a real PostgreSQL stalled by {@code SIGSTOP}: bootstrap answers {@code 503 DB_UNAVAILABLE} (the
 * error contract, {@code transient: true}, {@code Retry-After}) and admission {@code SERVICE_DEGRADED} with
 * {@code retryAfterSeconds}, each within 3 s; both work again after {@code SIGCONT} without a restart. Its own
 * PostgreSQL: stopping the shared one would stall the rest of the suite.
 */
class DatabaseStallTest {
    private static final Duration BOUND = Duration.ofSeconds(3);
    private static EmbeddedPostgresServer postgres;
    private static IsolatedFunction api;

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgresServer.start(Optional.empty(), false);
        api = new IsolatedFunction(Map.of("datasources.default.url", postgres.jdbcUrl(),
                "datasources.default.username", postgres.username(), "datasources.default.password", postgres.password()));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void bootstrapAndConnect_postgresStalled_503DbUnavailableAndServiceDegradedWithRetryAfter_thenRecover() {
        // GIVEN a player with an active character and an instance
        String subject = "stall-" + UUID.randomUUID();
        User user = api.bean(UserService.class).ensureUser(subject);
        var character = ((CreateCharacterResult.Created) api.bean(CharacterService.class).create(user.id(), "Stalled")).character();
        api.bean(CharacterService.class).selectActive(user.id(), character.id());
        String instance = "st-" + UUID.randomUUID().toString().substring(0, 8);
        api.bean(InstanceService.class).upsert(instance, 5, AdmissionFixtures.BUILD, InstanceState.ACCEPTING);
        String token = Tokens.forSubject(subject);
        assertEquals(200, bootstrap(token, instance).status());
        // WHEN PostgreSQL stops answering
        IsolatedFunction.Response boot;
        IsolatedFunction.Response connect;
        long bootMillis;
        long connectMillis;
        try (ProcessFaults.Stall stall = ProcessFaults.stall(postgres.postmaster())) {
            long t0 = System.nanoTime();
            boot = bootstrap(token, instance);
            bootMillis = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            connect = connect(token, instance, character.id());
            connectMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        System.out.printf("[fault] postgres SIGSTOP: bootstrap %d in %d ms, connect %s in %d ms%n", boot.status(), bootMillis,
                connect.json(), connectMillis);
        // THEN bootstrap: 503 in the error contract, transient, with Retry-After
        assertEquals(503, boot.status(), String.valueOf(boot.json()));
        assertEquals("DB_UNAVAILABLE", boot.json().get("code").asText());
        assertTrue(boot.json().get("transient").asBoolean());
        assertTrue(boot.json().hasNonNull("message"));
        assertEquals("2", boot.headers().get("retry-after"));
        assertTrue(bootMillis < BOUND.toMillis(), bootMillis + " ms");
        // AND admission: SERVICE_DEGRADED with a retry hint, never INTERNAL_ERROR
        assertEquals(200, connect.status());
        assertEquals("SERVICE_DEGRADED", connect.json().get("reason").asText(), connect.json().toString());
        assertEquals(5, connect.json().get("retryAfterSeconds").asInt());
        assertEquals("5", connect.headers().get("retry-after"));
        assertTrue(connectMillis < BOUND.toMillis(), connectMillis + " ms");
        // AND after SIGCONT both work again, same process
        assertEquals(200, bootstrap(token, instance).status());
        assertEquals("success", connect(token, instance, character.id()).json().get("outcome").asText());
    }

    private static IsolatedFunction.Response bootstrap(String token, String instance) {
        return api.send(HttpEvents.request("POST", "/session/bootstrap").bearer(token)
                .json("{\"instanceId\":\"" + instance + "\"}"));
    }

    private static IsolatedFunction.Response connect(String token, String instance, UUID characterId) {
        return api.send(HttpEvents.request("POST", "/instances/" + instance + "/connect").bearer(token)
                .json("{\"characterId\":\"" + characterId + "\",\"clientBuild\":\"" + AdmissionFixtures.BUILD + "\"}"));
    }
}
