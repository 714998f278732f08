package io.tilemud.realtime;

/** Port to the clients' WebSockets (API Gateway's @connections API in production and in the local stack). */
public interface ClientMessenger {

    /**
     * @return false when the connection is gone (the caller forgets it)
     * @throws IllegalArgumentException when the frame exceeds {@link Frames#MAX_FRAME_BYTES}
     */
    boolean send(String connectionId, String frame);

    /**
     * {@link #send} without waiting: the future completes with its answer (false: gone) or fails with its error.
     * Adapters with an asynchronous client override it so a fan-out's posts are in flight at once.
     *
     * @throws IllegalArgumentException when the frame exceeds {@link Frames#MAX_FRAME_BYTES}
     */
    default java.util.concurrent.CompletableFuture<Boolean> sendAsync(String connectionId, String frame) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(send(connectionId, frame));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** Closes the connection; its $disconnect follows. */
    void disconnect(String connectionId);
}
