package io.tilemud.localstack.websocket;

import io.netty.channel.Channel;

import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One open WebSocket, as API Gateway tracks it. Messages of one connection reach the handlers one at a time, in
 * arrival order, so a client's sequence numbers are not reordered by the emulator.
 */
final class Connection {
    static final String INBOUND_THREAD_PREFIX = "ws-inbound-";
    final String id;
    final Channel channel;
    /** Bytes posted to the client and not yet written to its socket (ROOM-03 backpressure). */
    final java.util.concurrent.atomic.AtomicLong unsentBytes = new java.util.concurrent.atomic.AtomicLong();
    final Instant connectedAt;
    final String sourceIp;
    final String userAgent;
    final java.util.Map<String, Object> authorizerContext;
    final AtomicReference<Instant> lastActiveAt;
    /**
     * The connection's frames, one at a time and in order (as API Gateway invokes the route). Its thread is named
     * after the connection, as a Lambda handler's thread has a name: on an unnamed virtual thread Logback looks up
     * every event's thread name by reflection (issue 15).
     */
    final ExecutorService inbound;

    Connection(String id, Channel channel, Instant connectedAt, String sourceIp, String userAgent,
               java.util.Map<String, Object> authorizerContext) {
        this.id = id;
        this.inbound = Executors.newSingleThreadExecutor(Thread.ofVirtual().name(INBOUND_THREAD_PREFIX + id).factory());
        this.channel = channel;
        this.connectedAt = connectedAt;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.authorizerContext = authorizerContext;
        this.lastActiveAt = new AtomicReference<>(connectedAt);
    }
}
