package io.tilemud.localstack.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throttles are logged at most once a second, each line counting the requests refused since the one before. */
class ThrottleLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private ThrottleLog throttles;

    @BeforeEach
    void logger() {
        Logger logger = new LoggerContext().getLogger("throttle-test");
        lines.start();
        logger.addAppender(lines);
        throttles = new ThrottleLog(logger, Duration.ofSeconds(1), now::get);
    }

    @Test
    void aBurstWithinOneSecond_oneLineAtOnce_thenOneCountingTheRest() {
        // WHEN 1,000 requests are throttled within a second, and one more a second after the first
        assertTrue(throttles.throttled("POST", "/instances/a/connect", 1000));
        for (int i = 0; i < 999; i++) {
            now.addAndGet(Duration.ofMillis(1).toNanos() - 1);
            assertFalse(throttles.throttled("POST", "/instances/a/connect", 1000));
        }
        now.set(1_000_000_000L + Duration.ofSeconds(1).toNanos());
        assertTrue(throttles.throttled("GET", "/version", 1000));

        // THEN two lines: the first at once, the next counting the 999 in between and itself
        assertEquals(List.of(
                "request POST /instances/a/connect throttled: all 1000 execution environments busy (1 throttled since the last such line)",
                "request GET /version throttled: all 1000 execution environments busy (1000 throttled since the last such line)"),
                lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertEquals("WARN", lines.list.getFirst().getLevel().toString());
    }

    @Test
    void eventLoopsRacingPastTheInterval_exactlyOneWritesTheLine_andNoThrottleGoesUncounted() throws Exception {
        // GIVEN the first line written
        throttles.throttled("GET", "/version", 2);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> written = new ArrayList<>();

        // WHEN 8 threads throttle 10,000 requests each, all after the interval has passed
        try (ExecutorService loops = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                written.add(loops.submit(() -> {
                    start.await();
                    int mine = 0;
                    for (int i = 0; i < 10_000; i++) {
                        mine += throttles.throttled("GET", "/version", 2) ? 1 : 0;
                    }
                    return mine;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> w : written) {
                total += w.get();
            }

            // THEN one of them wrote one line, and the next line counts every throttle not yet counted
            assertEquals(1, total);
        }
        assertEquals(2, lines.list.size());
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        throttles.throttled("GET", "/version", 2);
        long counted = lines.list.stream().skip(1).map(ILoggingEvent::getFormattedMessage)
                .mapToLong(m -> Long.parseLong(m.replaceAll(".*\\((\\d+) throttled.*", "$1"))).sum();
        assertEquals(80_001, counted);
    }
}
