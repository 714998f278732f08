package io.tilemud.realtime;

import io.micronaut.context.BeanProvider;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.session.SessionEvents;
import jakarta.inject.Singleton;

/**
 * ADM-09 on the socket side: the replaced session's WebSocket gets {@code event.session_replaced} and is closed.
 * Runs inside the replacing admission, so the old socket is gone before the new session can connect.
 */
@Singleton
public class RealtimeSessionEvents implements SessionEvents {
    private final ConnectionRegistry registry;
    private final BeanProvider<ClientMessenger> messenger;
    private final Frames frames;

    public RealtimeSessionEvents(ConnectionRegistry registry, BeanProvider<ClientMessenger> messenger, Frames frames) {
        this.registry = registry;
        this.messenger = messenger;
        this.frames = frames;
    }

    @Override
    public void sessionReplaced(String oldSessionId, String newSessionId) {
        if (!messenger.isPresent()) {
            // A deployment without a WebSocket API has no socket to close.
            return;
        }
        registry.findBySession(oldSessionId).ifPresent(connection -> {
            messenger.get().send(connection.connectionId(), frames.sessionReplaced());
            registry.remove(connection.connectionId());
            messenger.get().disconnect(connection.connectionId());
        });
    }
}
