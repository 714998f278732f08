package io.tilemud.functions.admission;

import io.micronaut.context.annotation.Replaces;
import io.tilemud.session.SessionEvents;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for the realtime layer: records which old session was told it was replaced, and by which. */
@Singleton
@Replaces(SessionEvents.class)
public class RecordingSessionEvents implements SessionEvents {
    private final Map<String, String> replaced = new ConcurrentHashMap<>();

    @Override
    public void sessionReplaced(String oldSessionId, String newSessionId) {
        replaced.put(oldSessionId, newSessionId);
    }

    public String replacementOf(String oldSessionId) {
        return replaced.get(oldSessionId);
    }
}
