package io.tilemud.embedded;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11, item 7: a server start that fails transiently is tried again; the last failure is final and clear. */
class EmbeddedServersRetryTest {

    @Test
    void withRetry_failsTwiceThenStarts_started() {
        AtomicInteger tries = new AtomicInteger();
        String started = EmbeddedServers.withRetry("test server", () -> {
            if (tries.incrementAndGet() < 3) {
                throw new IllegalStateException("nothing listening on 127.0.0.1:1 after PT10S");
            }
            return "up";
        });
        assertEquals("up", started);
        assertEquals(3, tries.get());
    }

    @Test
    void withRetry_neverStarts_clearFinalErrorAfterEveryTry() {
        AtomicInteger tries = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedServers.withRetry("test server", () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("port in use");
        }));
        assertEquals(EmbeddedServers.START_ATTEMPTS, tries.get());
        assertTrue(e.getMessage().startsWith("test server did not start after 3 tries: ") && e.getMessage().contains("port in use"),
                e.getMessage());
    }
}
