package io.tilemud.ops.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON log line every artifact writes (OPS-02), configured in code since issue 15 (no XML parse at init). */
class JsonLogConfiguratorTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void levels_ourCodeAtInfo_everythingElseAtWarn() {
        LoggerContext context = configured();
        assertEquals(Level.WARN, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.INFO, context.getLogger("io.tilemud").getLevel());
        assertEquals(Level.INFO, context.getLogger("io.tilemud.admission.AdmissionService").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("io.tilemud.connection.ConnectionsTableSchema").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("com.zaxxer.hikari.pool.HikariPool").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("org.flywaydb.core.Flyway").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("io.lettuce.core.RedisClient").getEffectiveLevel());
    }

    @Test
    void aStructuredEvent_isOneJsonLine_withMdcAndKeyValuesAsTopLevelFields_andNoVersionOrLevelNumber() throws Exception {
        LoggerContext context = configured();
        LoggingEvent event = event(context, "admission attempted", null);
        event.setMDCPropertyMap(Map.of("requestId", "req-1"));
        event.addKeyValuePair(new KeyValuePair("event", "ADMISSION_ATTEMPTED"));
        event.addKeyValuePair(new KeyValuePair("instanceId", "i-1"));

        String line = encode(context, event);

        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode node = json.readTree(line);
        assertEquals("admission attempted", node.get("message").asText());
        assertEquals("INFO", node.get("level").asText());
        assertEquals("io.tilemud.admission.AdmissionService", node.get("logger_name").asText());
        assertEquals("req-1", node.get("requestId").asText());
        assertEquals("ADMISSION_ATTEMPTED", node.get("event").asText());
        assertEquals("i-1", node.get("instanceId").asText());
        assertTrue(node.has("@timestamp"));
        assertFalse(node.has("@version"), line);
        assertFalse(node.has("level_value"), line);
    }

    @Test
    void aStackTrace_rootCauseFirst_atMost4Kb_frameworkFramesFolded() throws Exception {
        LoggerContext context = configured();
        IllegalStateException root = new IllegalStateException("the root cause");
        RuntimeException thrown = deep(new RuntimeException("wrapper", root), 200);

        JsonNode node = json.readTree(encode(context, event(context, "failed", thrown)));

        String trace = node.get("stack_trace").asText();
        assertTrue(trace.length() <= 4096, "length " + trace.length());
        assertTrue(trace.lines().findFirst().orElseThrow().endsWith("IllegalStateException: the root cause"), trace);
        // 12 frames per throwable (the root cause and its wrapper), the rest of 200+ deep() frames cut.
        long frames = trace.lines().filter(l -> l.startsWith("\tat ")).count();
        assertTrue(frames <= 24, frames + " frames:\n" + trace);
        assertTrue(trace.contains("frames truncated"), trace);
        assertFalse(trace.contains("at jdk.internal."), trace);
    }

    @Test
    void aLogbackTestFileOrConfigurationProperty_takesOver() throws Exception {
        Path dir = Files.createTempDirectory("tilemud-logback-");
        Files.writeString(dir.resolve("logback-test.xml"), "<configuration/>");
        try (URLClassLoader withTestFile = new URLClassLoader(new URL[]{dir.toUri().toURL()}, null);
             URLClassLoader without = new URLClassLoader(new URL[0], null)) {
            assertTrue(JsonLogConfigurator.deferToLogbackFile(withTestFile, null));
            assertTrue(JsonLogConfigurator.deferToLogbackFile(without, "logback-bench.xml"));
            assertFalse(JsonLogConfigurator.deferToLogbackFile(without, null));
        }
    }

    private static LoggerContext configured() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what Logback's own initialization sets
        JsonLogConfigurator.apply(context);
        return context;
    }

    private static LoggingEvent event(LoggerContext context, String message, Throwable thrown) {
        Logger logger = context.getLogger("io.tilemud.admission.AdmissionService");
        return new LoggingEvent(Logger.class.getName(), logger, thrown == null ? Level.INFO : Level.ERROR, message,
                thrown, null);
    }

    @SuppressWarnings("unchecked")
    private static String encode(LoggerContext context, ILoggingEvent event) {
        var appender = (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(JsonLogConfigurator.APPENDER);
        return new String(appender.getEncoder().encode(event), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A throwable thrown from {@code depth} nested frames, so its trace is longer than the 4 KB budget. */
    private static RuntimeException deep(RuntimeException e, int depth) {
        if (depth == 0) {
            e.fillInStackTrace();
            return e;
        }
        return deep(e, depth - 1);
    }
}
