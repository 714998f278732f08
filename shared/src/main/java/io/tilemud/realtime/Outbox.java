package io.tilemud.realtime;

import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Frames on their way to clients. A connection that is gone is forgotten; a post that fails otherwise (timeout,
 * throttling) is logged and skipped, so one slow socket never costs another player their ack or delta.
 */
@Singleton
public class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private final BeanProvider<ClientMessenger> messenger;
    private final Departures departures;

    public Outbox(BeanProvider<ClientMessenger> messenger, Departures departures) {
        this.messenger = messenger;
        this.departures = departures;
    }

    public void send(String connectionId, String frame) {
        try {
            if (!messenger.get().send(connectionId, frame)) {
                // Handled like its $disconnect, which then finds nothing: removing the entry alone would leave the
                // session active with no socket.
                departures.gone(connectionId);
            }
        } catch (RuntimeException e) {
            LOG.warn("frame to connection {} not delivered: {}", connectionId, e.toString());
        }
    }

    /**
     * Posts to every connection at once and returns when all posts are answered: a Lambda must not leave any behind.
     * The posts are in flight together on the messenger's asynchronous client, so this costs one round trip, not one
     * per recipient, and no thread per post.
     */
    public void sendAll(Collection<String> connectionIds, String frame) {
        if (connectionIds.size() <= 1) {
            connectionIds.forEach(id -> send(id, frame));
            return;
        }
        List<String> ids = List.copyOf(connectionIds);
        List<CompletableFuture<Boolean>> inFlight = messenger.get().sendAllAsync(ids, frame);
        for (int i = 0; i < ids.size(); i++) {
            try {
                if (!inFlight.get(i).join()) {
                    departures.gone(ids.get(i));
                }
            } catch (RuntimeException e) {
                LOG.warn("frame to connection {} not delivered: {}", ids.get(i),
                        (e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e).toString());
            }
        }
    }

    /** Closes a connection; one already gone is fine. */
    public void close(String connectionId) {
        try {
            messenger.get().disconnect(connectionId);
        } catch (RuntimeException e) {
            LOG.warn("connection {} not closed: {}", connectionId, e.toString());
        }
    }

}
