package io.tilemud.localstack;

import io.tilemud.embedded.EmbeddedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run.sh --redis-url/--jdbc-url/--dynamodb-endpoint}: external servers are used as given (this once threw). */
class ExternalServersTest {

    @Test
    void start_everyServerExternal_startsNothingAndNamesTheGivenOnes(@TempDir Path tmp) {
        try (EmbeddedServers servers = EmbeddedServers.start(new EmbeddedServers.Options(tmp, tmp, Optional.empty(),
                false, Optional.of("redis://10.0.0.1:6379"), Optional.of("jdbc:postgresql://db:5432/tilemud"),
                Optional.of("http://dynamo:8000")))) {
            assertEquals("redis://10.0.0.1:6379", servers.redisUrl());
            assertEquals("jdbc:postgresql://db:5432/tilemud", servers.jdbcUrl());
            assertEquals("http://dynamo:8000", servers.dynamoDbEndpoint());
            assertTrue(servers.embeddedRedis().isEmpty());
            assertTrue(servers.jdbcUsername().isEmpty());
            String described = servers.describe();
            assertTrue(described.contains("redis://10.0.0.1:6379 (external)"), described);
            assertTrue(described.contains("http://dynamo:8000 (external)"), described);
        }
    }
}
