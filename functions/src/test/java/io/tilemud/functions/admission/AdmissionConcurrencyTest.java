package io.tilemud.functions.admission;

import io.tilemud.admission.AdmissionKeys;
import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.instance.InstanceState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ADM-08, ADM-10: the atomic decision under concurrent attempts through the real handler. */
class AdmissionConcurrencyTest {
    private final HttpFunction api = HttpFunction.shared();
    private final AdmissionFixtures fx = new AdmissionFixtures(api);

    private static List<HttpResult> concurrently(int threads, List<java.util.function.Supplier<HttpResult>> calls)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResult>> futures = new ArrayList<>();
            for (var call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.get();
                }));
            }
            start.countDown();
            List<HttpResult> results = new ArrayList<>();
            for (Future<HttpResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void connect_200CharactersOnCapacity50_admits50AndQueues150InFifoOrder() throws Exception {
        // GIVEN 200 players and an instance with 50 slots
        String instance = fx.instance(50, InstanceState.ACCEPTING);
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            players.add(fx.player());
        }
        // WHEN all 200 connect at once
        List<HttpResult> results = concurrently(200, players.stream()
                .<java.util.function.Supplier<HttpResult>>map(p -> () -> fx.connect(p, instance)).toList());
        // THEN exactly 50 admitted, 150 queued with positions 0..149 each once, never over capacity
        int admitted = 0;
        Set<Integer> positions = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
            HttpResult r = results.get(i);
            assertEquals(200, r.status(), r.body());
            switch (r.json().get("outcome").asText()) {
                case "success" -> admitted++;
                case "queued" -> {
                    int position = r.json().get("position").asInt();
                    assertTrue(positions.add(position), "position " + position + " given twice");
                    // FIFO: the queue order in Redis is the order positions were handed out
                    assertEquals(position, fx.redis().zrank(AdmissionKeys.queue(instance),
                            players.get(i).characterId().toString()).intValue());
                }
                default -> throw new AssertionError(r.body());
            }
        }
        assertEquals(50, admitted);
        assertEquals(150, positions.size());
        assertEquals(0, positions.stream().mapToInt(Integer::intValue).min().orElseThrow());
        assertEquals(149, positions.stream().mapToInt(Integer::intValue).max().orElseThrow());
        assertEquals(50, fx.slots(instance));
        assertEquals(150, fx.depth(instance));
    }

    @Test
    void connect_50ConcurrentAttemptsForOneCharacter_atMostOneSession() throws Exception {
        // GIVEN one player, plenty of room
        String instance = fx.instance(100, InstanceState.ACCEPTING);
        Player p = fx.player();
        // WHEN the same character connects 50 times at once
        List<java.util.function.Supplier<HttpResult>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> fx.connect(p, instance));
        }
        List<HttpResult> results = concurrently(50, calls);
        // THEN one session: every success names the same session (a retried connect of a pending session)
        Set<String> sessions = new HashSet<>();
        for (HttpResult r : results) {
            if ("success".equals(r.json().get("outcome").asText())) {
                sessions.add(r.json().get("sessionId").asText());
            }
        }
        assertEquals(1, sessions.size());
        assertEquals(1, fx.slots(instance));
        assertEquals(1, fx.redis().hlen(AdmissionKeys.sessions(instance)));
        assertEquals(0, fx.depth(instance));
    }
}
