package io.tilemud.session;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

/**
 * Default {@link SessionEvents} until the realtime layer provides one that reaches WebSockets: the replacement is
 * already logged as REPLACED by the ledger, so nothing else to do here.
 */
@Singleton
@Secondary
public class LoggingSessionEvents implements SessionEvents {
    @Override
    public void sessionReplaced(String oldSessionId, String newSessionId) {
        // no socket layer yet
    }
}
