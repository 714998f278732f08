package io.tilemud.discord.gateway.fake;

import com.fasterxml.jackson.databind.node.BooleanNode;

/**
 * Scripted faults of a {@link FakeGateway}. Methods that act on "the connection" act on the most recent open one and
 * return false when there is none, so a test can assert its fault actually fired.
 */
public final class FakeGatewayFaults {

    private final FakeGateway gateway;

    FakeGatewayFaults(FakeGateway gateway) {
        this.gateway = gateway;
    }

    /** Stops answering heartbeats on the current connection (a zombie link); later connections are answered again. */
    public boolean dropAcks() {
        return gateway.onLive(link -> link.dropAcks = true);
    }

    /** Sends op 1: the client must heartbeat at once. */
    public boolean requestHeartbeat() {
        return gateway.onLive(link -> link.write(gateway.op(1, null)));
    }

    /** Sends op 7 RECONNECT; the session stays resumable. */
    public boolean sendReconnect() {
        return gateway.onLive(link -> link.write(gateway.op(7, null)));
    }

    /** Sends op 9 INVALID_SESSION; with {@code resumable} false the session is discarded, as Discord does. */
    public boolean sendInvalidSession(boolean resumable) {
        return gateway.onLive(link -> {
            FakeGateway.Session session = link.session;
            link.write(gateway.op(9, BooleanNode.valueOf(resumable)));
            if (!resumable) {
                gateway.discardSession(session);
            }
        });
    }

    /** Closes the current connection with {@code code}; 4007, 4009 and the fatal codes also end the session. */
    public boolean close(int code, String reason) {
        return gateway.onLive(link -> link.closeWith(code, reason));
    }

    /** Cuts the current connection without a close frame (a network failure); the session stays resumable. */
    public boolean dropConnection() {
        return gateway.onLive(FakeGateway.Link::drop);
    }

    /** Answers the next {@code connections} upgrade requests with 503, so those connection attempts fail. */
    public void refuseConnections(int connections) {
        if (connections < 0) {
            throw new IllegalArgumentException("connections must not be negative");
        }
        gateway.refuse(connections);
    }

    /** Splits every frame the fake sends from now on into a text frame and two continuation frames. */
    public void fragmentFrames(boolean on) {
        gateway.fragmentFrames(on);
    }

    /**
     * On RESUME, also replays the last {@code dispatches} the client had already seen (Discord may replay from an
     * earlier point): the client must drop them.
     */
    public void replayOverlap(int dispatches) {
        if (dispatches < 0) {
            throw new IllegalArgumentException("dispatches must not be negative");
        }
        gateway.replayOverlap(dispatches);
    }

    /** Leaves IDENTIFY unanswered (a gateway slow to start the session): no READY, heartbeats still ACKed. */
    public void ignoreIdentify(boolean on) {
        gateway.ignoreIdentify(on);
    }

    /** Opens new connections without sending HELLO (a gateway that accepts and then says nothing). */
    public void withholdHello(boolean on) {
        gateway.withholdHello(on);
    }

    /**
     * Ends the identified session without telling the client (Discord timed it out while the client was away):
     * the next RESUME is answered with op 9 {@code d:false}. False when no session exists.
     */
    public boolean expireSession() {
        return gateway.expireSession();
    }
}
