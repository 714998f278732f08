package io.tilemud.realtime;

import io.micronaut.context.BeanProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Frames on their way to clients. A connection that is gone is forgotten; a post that fails otherwise (timeout,
 * throttling) is logged and skipped, so one slow socket never costs another player their ack or delta.
 */
@Singleton
public class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private final BeanProvider<ClientMessenger> messenger;
    private final Departures departures;
    // Each post is a blocking HTTPS call of a few ms; virtual threads let a fan-out wait for the slowest, not the sum.
    private final ExecutorService posts = Executors.newVirtualThreadPerTaskExecutor();

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

    /** Posts to every connection at once and returns when all posts are done: a Lambda must not leave any behind. */
    public void sendAll(Collection<String> connectionIds, String frame) {
        if (connectionIds.size() <= 1) {
            connectionIds.forEach(id -> send(id, frame));
            return;
        }
        List<CompletableFuture<Void>> inFlight = new ArrayList<>(connectionIds.size());
        for (String id : connectionIds) {
            inFlight.add(CompletableFuture.runAsync(() -> send(id, frame), posts));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    }

    /** Closes a connection; one already gone is fine. */
    public void close(String connectionId) {
        try {
            messenger.get().disconnect(connectionId);
        } catch (RuntimeException e) {
            LOG.warn("connection {} not closed: {}", connectionId, e.toString());
        }
    }

    @PreDestroy
    void shutdown() {
        posts.shutdown();
    }
}
