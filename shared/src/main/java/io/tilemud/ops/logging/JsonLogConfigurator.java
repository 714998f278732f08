package io.tilemud.ops.logging;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

import java.util.List;

/**
 * The one logging configuration of every artifact (both Lambda jars, the local stack, the Discord relay): one JSON
 * object per line on standard output, so CloudWatch Logs Insights and the local console read the same format. MDC
 * keys (requestId, attemptId, sessionId) and the key/values of structured events (event, instanceId, reason, …)
 * become top-level fields. CloudWatch Embedded Metric Format lines share standard output but are written by the
 * metrics writer itself, not through here ({@code io.tilemud.ops.metrics.EmfMeterRegistry}).
 *
 * <p>Why code and not {@code logback.xml}: Joran's XML parsing cost every Lambda cold start 0.22 s and 640 loaded
 * classes (issue 15; logging is configured before anything else runs). A {@code logback-test.xml} on the class path
 * or {@code -Dlogback.configurationFile} still wins: this configurator then hands over to Logback's own.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {
    static final String APPENDER = "JSON";

    /** Framework frames folded out of stack traces: they say how a call got there, not what went wrong. */
    private static final List<String> FOLDED_FRAMES = List.of("^sun\\.reflect\\..*", "^java\\.lang\\.reflect\\..*",
            "^jdk\\.internal\\..*", "^io\\.netty\\..*", "^reactor\\.core\\..*", "^io\\.micronaut\\.core\\.propagation\\..*");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (deferToLogbackFile(getClass().getClassLoader(), System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY))) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Tests (their {@code logback-test.xml}) and benchmarks ({@code -Dlogback.configurationFile}) bring their own. */
    static boolean deferToLogbackFile(ClassLoader classLoader, String configFileProperty) {
        return configFileProperty != null || classLoader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null;
    }

    static void apply(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        // The @version field and the logger's level number say nothing a reader needs.
        encoder.getFieldNames().setVersion("[ignore]");
        encoder.getFieldNames().setLevelValue("[ignore]");
        encoder.setThrowableConverter(throwables());
        encoder.start();

        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setEncoder(encoder);
        appender.start();

        context.getLogger("io.tilemud").setLevel(Level.INFO);
        context.getLogger("io.tilemud.connection.ConnectionsTableSchema").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
    }

    /**
     * Stack traces cost bytes (CloudWatch bills ingestion per GB) and the top frames say what went wrong: the root
     * cause first, at most 12 frames per throwable, framework frames folded, 4 KB in all.
     */
    private static ShortenedThrowableConverter throwables() {
        ShortenedThrowableConverter converter = new ShortenedThrowableConverter();
        converter.setMaxDepthPerThrowable(12);
        converter.setMaxLength(4096);
        converter.setShortenedClassNameLength(30);
        converter.setRootCauseFirst(true);
        converter.setExcludes(FOLDED_FRAMES);
        return converter;
    }
}
