package io.tilemud.localstack;

import io.tilemud.embedded.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * OPS-04 and RT-06: the local stack with {@code --data-dir} survives {@code kill -9}: the next start comes up on the
 * same data with every acknowledged move in it, and the killed stack leaves no server behind.
 */
class RestartAfterKillTest {

    private static Process launch(Path dataDir, int httpPort, Path log) throws IOException {
        return launch(dataDir, httpPort, Ports.free(), log);
    }

    private static Process launch(Path dataDir, int httpPort, int wsPort, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LocalStack.class.getName(),
                "--http-port", Integer.toString(httpPort), "--ws-port", Integer.toString(wsPort),
                "--data-dir", dataDir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitHealthy(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("local stack exited: " + java.nio.file.Files.readString(log));
            }
            try {
                if (Http.send(Http.to(port, "/health")).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("local stack not healthy in time: " + java.nio.file.Files.readString(log));
    }

    /** Sends moves over a real WebSocket and waits for each ack: these are what must survive. */
    private static void ackedMoves(int wsPort, String token, String sessionId, int count) throws Exception {
        TextWebSocket ws = TextWebSocket.open(java.net.URI.create(
                "ws://127.0.0.1:" + wsPort + "/local?sessionId=" + sessionId + "&token=" + token));
        for (int seq = 1; seq <= count; seq++) {
            ws.send("{\"type\":\"intent.move\",\"seq\":" + seq + ",\"dx\":1,\"dy\":0}");
            String frame = ws.messages.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            var ack = Http.JSON.readTree(frame);
            assertEquals("event.ack", ack.get("type").asText(), frame);
            assertEquals(seq, ack.get("seq").asInt());
        }
    }

    @Test
    void restart_afterKill9WithSameDataDir_comesUpWithEveryAckedMoveAndNoLeftovers(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        String subject = "survivor-" + UUID.randomUUID();
        // GIVEN a local stack on a data directory where a player's three moves were acknowledged
        int firstPort = Ports.free();
        int firstWs = Ports.free();
        Process first = launch(data, firstPort, firstWs, tmp.resolve("first.log"));
        List<ProcessHandle> firstChildren = new ArrayList<>();
        try {
            awaitHealthy(firstPort, first, tmp.resolve("first.log"));
            String token = Http.token(firstPort, subject, false);
            HttpResponse<String> created = Http.send(Http.to(firstPort, "/characters")
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Survivor\"}")));
            assertEquals(201, created.statusCode(), created.body());
            String characterId = Http.json(created).get("id").asText();
            Http.send(Http.to(firstPort, "/me/active-character").header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + characterId + "\"}")));
            HttpResponse<String> admitted = Http.send(Http.to(firstPort, "/instances/world-1/connect")
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + characterId + "\",\"clientBuild\":\"dev\"}")));
            ackedMoves(firstWs, token, Http.json(admitted).get("sessionId").asText(), 3);
            firstChildren.addAll(first.descendants().toList());
        } finally {
            // WHEN it is killed without any chance to clean up
            first.destroyForcibly().waitFor();
        }
        int secondPort = Ports.free();
        Process second = launch(data, secondPort, tmp.resolve("second.log"));
        try {
            // THEN a new start on the same directory comes up, and bootstrap shows every acknowledged move
            awaitHealthy(secondPort, second, tmp.resolve("second.log"));
            HttpResponse<String> boot = Http.send(Http.to(secondPort, "/session/bootstrap")
                    .header("Authorization", "Bearer " + Http.token(secondPort, subject, false))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instanceId\":\"world-1\"}")));
            assertEquals(200, boot.statusCode(), boot.body());
            assertEquals("Survivor", Http.json(boot).get("character").get("name").asText());
            assertEquals(3, Http.json(boot).get("character").get("x").asInt());
            // and nothing the killed stack started is still running (redis, DynamoDB Local, the old postmaster)
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (firstChildren.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(firstChildren.stream().noneMatch(ProcessHandle::isAlive),
                    "left running: " + firstChildren.stream().filter(ProcessHandle::isAlive)
                            .map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());
        } finally {
            second.destroy();
            if (!second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }
}
