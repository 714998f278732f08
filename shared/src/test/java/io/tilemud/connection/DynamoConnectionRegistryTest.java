package io.tilemud.connection;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.tilemud.testing.OnSharedInfra;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection registry on DynamoDB Local, with the table created from the shared table definition. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoConnectionRegistryTest implements OnSharedInfra {

    @Inject
    ConnectionRegistry registry;

    private static ConnectionRecord connection(String instanceId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return ConnectionRecord.connected(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), instanceId, "dev", now, now.plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void register_thenFindById_everyFieldRoundTrips() {
        ConnectionRecord c = connection("reg-" + UUID.randomUUID());

        registry.register(c);

        assertEquals(c, registry.find(c.connectionId()).orElseThrow());
    }

    @Test
    void findBySession_registered_returnsItsConnection() {
        ConnectionRecord c = connection("reg-" + UUID.randomUUID());
        registry.register(c);

        assertEquals(c.connectionId(), registry.findBySession(c.sessionId()).orElseThrow().connectionId());
    }

    @Test
    void findByInstance_severalConnections_returnsExactlyThatInstances() {
        String instance = "reg-" + UUID.randomUUID();
        ConnectionRecord a = connection(instance);
        ConnectionRecord b = connection(instance);
        registry.register(a);
        registry.register(b);
        registry.register(connection("other-" + UUID.randomUUID()));

        Set<String> ids = registry.findByInstance(instance).stream().map(ConnectionRecord::connectionId)
                .collect(Collectors.toSet());

        assertEquals(Set.of(a.connectionId(), b.connectionId()), ids);
    }

    @Test
    void remove_registered_goneEverywhereAndReportsIt() {
        ConnectionRecord c = connection("reg-" + UUID.randomUUID());
        registry.register(c);

        assertEquals(c, registry.remove(c.connectionId()).orElseThrow());

        assertTrue(registry.find(c.connectionId()).isEmpty());
        assertTrue(registry.findBySession(c.sessionId()).isEmpty());
        assertTrue(registry.remove(c.connectionId()).isEmpty());
    }

    @Test
    void register_withResumePointAndDegradedNotice_everyFieldRoundTrips() {
        ConnectionRecord plain = connection("reg-" + UUID.randomUUID());
        ConnectionRecord c = new ConnectionRecord(plain.connectionId(), plain.sessionId(), plain.userId(),
                plain.characterId(), plain.instanceId(), plain.build(), plain.connectedAt(),
                plain.lastActiveAt().plusMillis(5), plain.connectedAt().minusSeconds(20), 7L,
                plain.connectedAt().minusSeconds(3), plain.expiresAt());

        registry.register(c);

        assertEquals(c, registry.find(c.connectionId()).orElseThrow());
    }

    @Test
    void touchAndMarkDegraded_liveConnection_updateOnlyThatAttribute() {
        ConnectionRecord c = connection("reg-" + UUID.randomUUID());
        registry.register(c);
        Instant later = c.lastActiveAt().plusSeconds(90);

        registry.touch(c.connectionId(), later);
        registry.markDegraded(c.connectionId(), later);

        ConnectionRecord touched = registry.find(c.connectionId()).orElseThrow();
        assertEquals(later, touched.lastActiveAt());
        assertEquals(later, touched.degradedSince());
        assertEquals(c.sessionId(), touched.sessionId());
        registry.markDegraded(c.connectionId(), null);
        assertNull(registry.find(c.connectionId()).orElseThrow().degradedSince());
    }

    @Test
    void touchAndMarkDegraded_removedConnection_doNotBringItBack() {
        ConnectionRecord c = connection("reg-" + UUID.randomUUID());
        registry.register(c);
        registry.remove(c.connectionId());

        registry.touch(c.connectionId(), Instant.now());
        registry.markDegraded(c.connectionId(), Instant.now());

        assertTrue(registry.find(c.connectionId()).isEmpty());
    }
}
