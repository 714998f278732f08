package io.tilemud.localstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStackOptionsTest {

    @Test
    void parse_noArguments_documentedDefaults() {
        LocalStackOptions options = LocalStackOptions.parse();

        assertEquals(3000, options.httpPort());
        assertEquals(3001, options.wsPort());
        assertEquals(Optional.empty(), options.dataDir());
        assertEquals(5, options.janitorSeconds());
        assertEquals(1000, options.lambdaConcurrency());
    }

    @Test
    void parse_lambdaConcurrency_takenOrRefusedClearly() {
        assertEquals(10, LocalStackOptions.parse("--lambda-concurrency", "10").lambdaConcurrency());
        assertEquals(1, LocalStackOptions.parse("--lambda-concurrency=1").lambdaConcurrency());
        assertTrue(assertThrows(LocalStackOptions.UsageException.class,
                () -> LocalStackOptions.parse("--lambda-concurrency", "0")).getMessage().contains("must be positive"));
        assertTrue(assertThrows(LocalStackOptions.UsageException.class,
                () -> LocalStackOptions.parse("--lambda-concurrency", "many")).getMessage().contains("must be a number"));
    }

    @Test
    void parse_everyFlagInBothForms_taken() {
        LocalStackOptions options = LocalStackOptions.parse("--http-port", "4000", "--ws-port=4001",
                "--data-dir", "/tmp/x", "--redis-url=redis://h:1", "--jdbc-url", "jdbc:postgresql://h/db",
                "--dynamodb-endpoint", "http://h:8000", "--janitor-seconds", "2");

        assertEquals(4000, options.httpPort());
        assertEquals(4001, options.wsPort());
        assertEquals(Optional.of(Path.of("/tmp/x")), options.dataDir());
        assertEquals(Optional.of("redis://h:1"), options.redisUrl());
        assertEquals(Optional.of("jdbc:postgresql://h/db"), options.jdbcUrl());
        assertEquals(Optional.of("http://h:8000"), options.dynamoDbEndpoint());
        assertEquals(2, options.janitorSeconds());
        assertEquals(Optional.empty(), options.fakeDiscordPort());
    }

    @Test
    void parse_fakeDiscord_defaultPortOrGivenOne() {
        assertEquals(Optional.of(3002), LocalStackOptions.parse("--fake-discord").fakeDiscordPort());
        assertEquals(Optional.of(3302), LocalStackOptions.parse("--fake-discord", "--fake-discord-port", "3302").fakeDiscordPort());
        assertEquals(Optional.of(3302), LocalStackOptions.parse("--fake-discord-port=3302", "--fake-discord").fakeDiscordPort());
        assertTrue(assertThrows(LocalStackOptions.UsageException.class,
                () -> LocalStackOptions.parse("--fake-discord-port", "3000")).getMessage().contains("must differ"));
    }

    @Test
    void parse_badInput_clearMessage() {
        assertTrue(assertThrows(LocalStackOptions.UsageException.class, () -> LocalStackOptions.parse("--http-port", "x"))
                .getMessage().contains("must be a number"));
        assertTrue(assertThrows(LocalStackOptions.UsageException.class, () -> LocalStackOptions.parse("--http-port", "70000"))
                .getMessage().contains("port number"));
        assertTrue(assertThrows(LocalStackOptions.UsageException.class, () -> LocalStackOptions.parse("--nope", "1"))
                .getMessage().contains("unknown option --nope"));
        assertTrue(assertThrows(LocalStackOptions.UsageException.class, () -> LocalStackOptions.parse("--data-dir"))
                .getMessage().contains("needs a value"));
        assertTrue(assertThrows(LocalStackOptions.UsageException.class, () -> LocalStackOptions.parse("--http-port", "5", "--ws-port", "5"))
                .getMessage().contains("must differ"));
    }
}
