package io.tilemud.discord.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tilemud.discord.gateway.fake.FakeGateway;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The client's log lines are structured (an {@code event} key on each) and never carry the bot token. */
class GatewayLoggingTest {

    static final String TOKEN = "Bot.MTAwMDAw.secret-part-that-must-not-leak";

    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger("io.tilemud.discord.gateway");
    Level previousLevel;

    @BeforeEach
    void capture() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
    }

    @Test
    void lifecycle_identifyResumeReidentifyFatal_everyLineStructuredAndTokenFree() {
        // GIVEN a client that identifies, resumes, re-identifies and finally hits a fatal close
        HttpClient http = HttpClient.newHttpClient();
        try (FakeGateway fake = FakeGateway.start("127.0.0.1", 0, Duration.ofSeconds(1));
             RecordingScheduler scheduler = new RecordingScheduler()) {
            RecordingListener listener = new RecordingListener();
            GatewaySettings settings = new GatewaySettings(fake.url(), TOKEN, GatewayIntents.RELAY,
                    Duration.ofMillis(50), 5);
            GatewayClient client = new GatewayClient(settings, http, Clock.systemUTC(), scheduler, listener,
                    new FixedRandom(0.5));
            client.start();
            Await.until("READY", () -> client.state() == GatewayState.READY);
            fake.faults().sendReconnect();
            Await.until("RESUMED", () -> listener.count("RESUMED") == 1);
            fake.faults().sendInvalidSession(false);
            Await.until("second READY", () -> listener.count("READY") == 2);
            fake.faults().close(4004, "Authentication failed");
            Await.until("fatal", () -> client.state() == GatewayState.STOPPED_FATAL);
            client.close();
        } finally {
            // close() would wait for every WebSocket the client ever opened to finish closing.
            http.shutdownNow();
        }

        // THEN the client logged its life cycle as named events ...
        List<ILoggingEvent> lines = appender.list.stream()
                .filter(line -> line.getLoggerName().equals(GatewayClient.class.getName())).toList();
        Set<String> events = lines.stream().map(GatewayLoggingTest::eventName).collect(Collectors.toSet());
        assertTrue(events.containsAll(Set.of("CONNECTING", "IDENTIFY_SENT", "SESSION_READY", "RECONNECT_REQUESTED",
                "RESUME_SENT", "SESSION_RESUMED", "INVALID_SESSION", "RECONNECT_SCHEDULED", "FATAL_CLOSE")), events.toString());
        lines.forEach(line -> assertFalse(eventName(line).isEmpty(), "line without event: " + line.getFormattedMessage()));
        // ... and no line, key or stack trace anywhere in the module contains the token
        for (ILoggingEvent line : appender.list) {
            StringBuilder text = new StringBuilder(line.getFormattedMessage());
            if (line.getKeyValuePairs() != null) {
                line.getKeyValuePairs().forEach(pair -> text.append(' ').append(pair.key).append('=').append(pair.value));
            }
            if (line.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(line.getThrowableProxy()));
            }
            assertFalse(text.toString().contains(TOKEN), "token in log: " + text);
            assertFalse(text.toString().contains("secret-part"), "token fragment in log: " + text);
        }
    }

    private static String eventName(ILoggingEvent line) {
        if (line.getKeyValuePairs() == null) {
            return "";
        }
        return line.getKeyValuePairs().stream().filter(pair -> pair.key.equals("event"))
                .map(pair -> String.valueOf(pair.value)).findFirst().orElse("");
    }
}
