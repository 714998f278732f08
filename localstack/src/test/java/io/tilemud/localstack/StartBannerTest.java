package io.tilemud.localstack;

import io.tilemud.embedded.Ports;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * OPS-04: what a newcomer sees after {@code ./localstack/run.sh} — the real {@code main} in its own JVM, as the jar
 * runs it. The banner once died mid-line on a format argument that was missing, so the whole of it is read here, and
 * the first screen must be free of library noise (Logback, SLF4J, JVM warnings).
 */
class StartBannerTest {
    private static final Pattern TOKEN = Pattern.compile("export TOKEN=([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)");

    @Test
    void main_freshStart_printsTheWholeBannerWithAWorkingTokenAndNoNoise() throws Exception {
        int http = Ports.free();
        int ws = Ports.free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalStack.class.getName(), "--http-port", Integer.toString(http), "--ws-port", Integer.toString(ws))
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException ended) {
                // the process is gone
            }
        });
        try {
            // WHEN it has started
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (lines.stream().noneMatch(l -> l.equals("Ctrl-C stops everything."))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    fail("the banner never ended; output:\n" + String.join("\n", lines));
                }
                Thread.sleep(100);
            }
            String screen = String.join("\n", lines);
            System.out.println("first screen of the local stack:\n" + screen);

            // THEN the banner is whole: URLs, the seeded instance, the janitor period, a dev token and the hint
            assertTrue(screen.contains("TileMUD local stack ready in "), screen);
            assertTrue(screen.contains("play       http://127.0.0.1:" + http + "/play/"), screen);
            assertTrue(screen.contains("websocket  ws://127.0.0.1:" + ws + "/local?sessionId="), screen);
            assertTrue(screen.contains("@connections http://127.0.0.1:" + ws + "/local/@connections/{id}"), screen);
            assertTrue(screen.contains("instance   world-1 (capacity 100); janitor every 5 s"), screen);
            assertTrue(screen.contains("curl -s http://127.0.0.1:" + http + "/health"), screen);
            // AND nothing but our own lines: no stack trace, no Logback/SLF4J status, no JVM warnings
            for (String line : lines) {
                assertTrue(!line.contains("Exception") && !line.contains("SLF4J") && !line.contains("|-")
                        && !line.startsWith("WARNING") && !line.contains("logback"), "noise on the first screen: " + line);
            }
            // AND the printed token is accepted by the API
            Matcher token = TOKEN.matcher(screen);
            assertTrue(token.find(), screen);
            HttpResponse<String> characters = Http.send(Http.to(http, "/characters")
                    .header("Authorization", "Bearer " + token.group(1)));
            assertEquals(200, characters.statusCode(), characters.body());
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(5_000);
        }
    }
}
