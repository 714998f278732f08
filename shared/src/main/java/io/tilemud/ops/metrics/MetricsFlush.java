package io.tilemud.ops.metrics;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.function.aws.event.AfterExecutionEvent;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Writes the metrics of an invocation at its end. Lambda freezes a container as soon as the handler returns, so
 * whatever is not written by then may never be. {@code MicronautRequestHandler}s (WebSocket routes, janitor) announce
 * their end with {@link AfterExecutionEvent}, success or failure; the HTTP function calls {@link #flush()} itself
 * (Micronaut's proxy handler announces nothing).
 */
@Singleton
public class MetricsFlush implements ApplicationEventListener<AfterExecutionEvent> {
    private final List<EmfMeterRegistry> registries;

    public MetricsFlush(List<EmfMeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public void onApplicationEvent(AfterExecutionEvent event) {
        flush();
    }

    public void flush() {
        registries.forEach(EmfMeterRegistry::flush);
    }
}
