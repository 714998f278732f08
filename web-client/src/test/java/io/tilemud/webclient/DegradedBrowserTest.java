package io.tilemud.webclient;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

import java.time.Duration;
import java.util.Optional;

import static io.tilemud.webclient.Browsers.text;
import static io.tilemud.webclient.Browsers.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RT-07 in the browser: Redis goes away mid-game, the client shows the degraded banner and its moves are still
 * acknowledged. A stack of its own, whose embedded Redis this test shuts down. (Passing an external Redis URL
 * would be neater, but EmbeddedServers.redisUrl() dereferences the absent embedded server: NPE.)
 */
class DegradedBrowserTest {
    private static Stack stack;

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @BeforeAll
    static void start() {
        Browsers.requireChromium();
        stack = Stack.start(Optional.empty());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void redisStoppedShowsDegradedWhileMovesAreStillAcked() {
        Player p = new Player(browsers.open(), stack.playUrl).open().login("degraded-" + ProcessHandle.current().pid())
                .createCharacter("Stoic").pick("world-1").connect().playing();
        p.move(Keys.ARROW_RIGHT);
        assertEquals(Optional.empty(), text(p.d, "degraded-banner"));
        stopRedis();
        p.move(Keys.ARROW_DOWN);
        waitFor(p.d, Duration.ofSeconds(15), "degraded banner", x -> text(x, "degraded-banner").isPresent());
        p.move(Keys.ARROW_RIGHT);
        assertEquals(3L, p.lastAckedSeq());
        assertEquals("playing", p.status());
    }

    private static void stopRedis() {
        String uri = stack.stack.context().getProperty("redis.uri", String.class).orElseThrow();
        RedisClient client = RedisClient.create(uri);
        try {
            client.connect().sync().shutdown(false);
        } catch (RuntimeException expected) {
            // the server goes away under the command
        } finally {
            client.shutdown();
        }
    }
}
