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

    /**
     * {@link #sendAsync} of one frame to each connection, in order; a post that cannot start is a failed future in
     * its place, never an exception, so one bad post does not stop the rest. Adapters that prepare a frame once for
     * all its recipients (encode, hash) override it.
     */
    default java.util.List<java.util.concurrent.CompletableFuture<Boolean>> sendAllAsync(
            java.util.List<String> connectionIds, String frame) {
        var posts = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Boolean>>(connectionIds.size());
        for (String id : connectionIds) {
            try {
                posts.add(sendAsync(id, frame));
            } catch (RuntimeException e) {
                posts.add(java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        return posts;
    }

    /** Closes the connection; its $disconnect follows. */
    void disconnect(String connectionId);
}
