package io.tilemud.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;

/**
 * Structured admission/session events (OPS-02): one JSON line each, {@code event} plus key/values, with
 * {@code attemptId}/{@code sessionId} from the MDC. Callers pass ids only, never tokens.
 */
public final class AdmissionLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.tilemud.admission.events");

    private AdmissionLog() {
    }

    /** Starts an event; add fields with {@link Line#with} and finish with {@link Line#log()}. */
    public static Line event(AdmissionEvent event) {
        return new Line(event);
    }

    /** Runs {@code body} with the given MDC entries and removes exactly those afterwards (warm Lambdas are reused). */
    public static <T> T withMdc(Map<LogKey, String> entries, java.util.function.Supplier<T> body) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        try {
            entries.forEach((k, v) -> {
                if (v != null) {
                    MDC.put(k.key(), v);
                }
            });
            return body.get();
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    public static final class Line {
        private final AdmissionEvent event;
        private LoggingEventBuilder builder;

        private Line(AdmissionEvent event) {
            this.event = event;
            boolean warn = event == AdmissionEvent.OWNERSHIP_VIOLATION || event == AdmissionEvent.ADMISSION_TIMEOUT;
            this.builder = (warn ? LOG.atWarn() : LOG.atInfo()).addKeyValue(LogKey.EVENT.key(), event.name());
        }

        public Line with(LogKey key, Object value) {
            if (value != null) {
                builder = builder.addKeyValue(key.key(), String.valueOf(value));
            }
            return this;
        }

        public void log() {
            builder.log(event.name());
        }
    }
}
