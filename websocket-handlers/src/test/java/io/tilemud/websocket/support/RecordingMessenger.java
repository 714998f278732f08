package io.tilemud.websocket.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tilemud.realtime.ClientMessenger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** API Gateway's @connections API is outside the handlers under test: this records what they post. */
public final class RecordingMessenger implements ClientMessenger {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, BlockingQueue<String>> sent = new ConcurrentHashMap<>();
    public final Set<String> disconnected = ConcurrentHashMap.newKeySet();
    /** Connections whose posts fail the way a timed-out or throttled PostToConnection does. */
    public final Set<String> failing = ConcurrentHashMap.newKeySet();

    private BlockingQueue<String> queue(String connectionId) {
        return sent.computeIfAbsent(connectionId, id -> new LinkedBlockingQueue<>());
    }

    @Override
    public boolean send(String connectionId, String frame) {
        if (failing.contains(connectionId)) {
            throw new IllegalStateException("Unable to execute HTTP request: Read timed out");
        }
        queue(connectionId).add(frame);
        return true;
    }

    @Override
    public void disconnect(String connectionId) {
        disconnected.add(connectionId);
    }

    /** The next frame posted to the connection (waits briefly: fan-out may come from another thread). */
    public JsonNode next(String connectionId) {
        try {
            String frame = queue(connectionId).poll(5, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("nothing sent to " + connectionId);
            }
            return JSON.readTree(frame);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next frame answering the client itself, skipping what other players' moves and lines fanned out to it. */
    public JsonNode nextReply(String connectionId) {
        while (true) {
            JsonNode frame = next(connectionId);
            String type = frame.get("type").asText();
            if (!type.equals("event.state_delta") && !type.equals("event.chat")) {
                return frame;
            }
        }
    }

    public boolean nothingFor(String connectionId) {
        return queue(connectionId).isEmpty();
    }
}
