package io.tilemud.testing;

import io.micronaut.test.support.TestPropertyProvider;
import io.tilemud.embedded.testing.SharedTestInfra;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@code @MicronautTest} (with {@code PER_CLASS} lifecycle) against the JVM's one set of embedded servers: their
 * connection properties, as the strings {@link TestPropertyProvider} wants.
 */
public interface OnSharedInfra extends TestPropertyProvider {
    @Override
    default Map<String, String> getProperties() {
        return SharedTestInfra.get().properties().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }
}
