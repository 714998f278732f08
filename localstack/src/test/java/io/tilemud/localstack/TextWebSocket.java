package io.tilemud.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A standard (JDK) WebSocket client that queues whole text messages and remembers how it was closed. */
public final class TextWebSocket implements WebSocket.Listener {
    public final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    /** The close code, or -1 when the connection failed. */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Opens {@code uri}; a refused handshake surfaces as an {@link java.util.concurrent.ExecutionException}. */
    public static TextWebSocket open(URI uri) throws Exception {
        TextWebSocket client = new TextWebSocket();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        return client;
    }

    public WebSocket socket() {
        return socket;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }
}
