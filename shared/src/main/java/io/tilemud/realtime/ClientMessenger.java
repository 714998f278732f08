package io.tilemud.realtime;

/** Port to the clients' WebSockets (API Gateway's @connections API in production and in the local stack). */
public interface ClientMessenger {

    /**
     * @return false when the connection is gone (the caller forgets it)
     * @throws IllegalArgumentException when the frame exceeds {@link Frames#MAX_FRAME_BYTES}
     */
    boolean send(String connectionId, String frame);

    /** Closes the connection; its $disconnect follows. */
    void disconnect(String connectionId);
}
