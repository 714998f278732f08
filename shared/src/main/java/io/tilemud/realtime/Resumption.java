package io.tilemud.realtime;

import io.micronaut.core.annotation.Nullable;
import io.tilemud.character.CharacterRepository;
import io.tilemud.character.PlayerCharacter;
import io.tilemud.connection.ConnectionCacheSettings;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.session.Session;
import io.tilemud.session.SessionStore;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * RT-06: what a client gets after (re)connecting and saying which seq it last saw acknowledged. A client back from
 * grace gets the deltas it missed, read from the action log, so they survive any server restart; one that is new,
 * ahead of the server or too far behind gets a snapshot of its view instead.
 *
 * <p>The answer cannot go out during {@code $connect} (API Gateway establishes the socket only after it returns), so
 * the client asks with a {@code resume} frame.
 */
@Singleton
public class Resumption {
    /** Why a client gets a snapshot instead of deltas (the {@code reason} of {@code event.snapshot}). */
    enum SnapshotReason { NEW_CONNECTION, NO_LAST_SEQ, AHEAD_OF_SERVER, TOO_FAR_BEHIND }

    private final ActionLog actions;
    private final ActionHistory history;
    private final CharacterRepository characters;
    private final SessionStore sessions;
    private final View view;
    private final Frames frames;
    private final RealtimeSettings settings;
    private final ConnectionCacheSettings cache;

    public Resumption(ActionLog actions, ActionHistory history, CharacterRepository characters, SessionStore sessions,
                      View view, Frames frames, RealtimeSettings settings, ConnectionCacheSettings cache) {
        this.cache = cache;
        this.actions = actions;
        this.history = history;
        this.characters = characters;
        this.sessions = sessions;
        this.view = view;
        this.frames = frames;
        this.settings = settings;
    }

    /**
     * @param clientLastSeq the seq the client last saw acknowledged; when null, the one it gave at {@code $connect}
     * @return the {@code event.resume} or {@code event.snapshot} frame
     * @throws ActionLogUnavailableException when PostgreSQL cannot answer
     */
    public String answer(ConnectionRecord connection, @Nullable Long clientLastSeq) {
        long serverLastSeq = actions.lastSeq(connection.sessionId());
        PlayerCharacter me = characters.findById(UUID.fromString(connection.characterId()))
                .orElseThrow(() -> new IllegalStateException("character of " + connection.sessionId() + " is gone"));
        String token = currentToken(connection.sessionId());
        Long lastSeq = clientLastSeq != null ? clientLastSeq : connection.lastSeq();
        SnapshotReason reason;
        if (connection.graceSince() == null) {
            reason = SnapshotReason.NEW_CONNECTION;
        } else if (lastSeq == null) {
            reason = SnapshotReason.NO_LAST_SEQ;
        } else if (lastSeq > serverLastSeq) {
            reason = SnapshotReason.AHEAD_OF_SERVER;
        } else {
            String frame = deltas(connection, me, lastSeq, serverLastSeq, token);
            if (frame != null) {
                return frame;
            }
            reason = SnapshotReason.TOO_FAR_BEHIND;
        }
        return snapshot(reason, connection, me, serverLastSeq, token);
    }

    /** The missed deltas as one frame, or null when they are too many for it. */
    @Nullable
    private String deltas(ConnectionRecord connection, PlayerCharacter me, long lastSeq, long serverLastSeq,
                          @Nullable String token) {
        int max = settings.resumeMaxEvents();
        if (serverLastSeq - lastSeq > max) {
            return null;
        }
        List<PastEvent> own = history.ofSessionAfter(connection.sessionId(), lastSeq, max + 1);
        // Until the live fan-out reached the new socket: it registered at connectedAt, and containers that cached
        // the instance's members before that learn of it within the cache TTL.
        List<PastEvent> others = history.seenFrom(connection.instanceId(), me.x(), me.y(), settings.viewRadiusTiles(),
                connection.sessionId(), connection.graceSince().minusSeconds(settings.resumeOverlapSeconds()),
                connection.connectedAt().plus(cache.ttl()), max + 1);
        if (own.size() + others.size() > max) {
            return null;
        }
        List<Map<String, Object>> deltas = new ArrayList<>();
        Stream.concat(own.stream(), others.stream())
                .sorted(Comparator.comparingLong(PastEvent::id))
                .forEach(event -> {
                    boolean mine = event.sessionId().equals(connection.sessionId());
                    if (event.kind().equals("move")) {
                        deltas.add(frames.movedFrame(event.characterId(), event.x(), event.y()));
                    } else if (event.kind().equals("chat") && !mine && event.text() != null) {
                        // The client knows its own lines; others' are what it missed.
                        deltas.add(frames.chatFrame(event.characterId(), event.text()));
                    }
                });
        String frame = frames.resume(connection.connectionId(), serverLastSeq, deltas, token);
        return frame.getBytes(StandardCharsets.UTF_8).length <= Frames.MAX_FRAME_BYTES ? frame : null;
    }

    private String snapshot(SnapshotReason reason, ConnectionRecord connection, PlayerCharacter me, long serverLastSeq,
                            @Nullable String token) {
        List<Map<String, Object>> players = view.around(connection.instanceId(), me.x(), me.y(), connection.connectionId())
                .stream()
                .limit(settings.snapshotMaxPlayers())
                .map(seen -> position(seen.position().characterId(), seen.position().x(), seen.position().y()))
                .toList();
        return frames.snapshot(connection.connectionId(), reason.name(), serverLastSeq, position(me.id(), me.x(), me.y()),
                players, token);
    }

    private static Map<String, Object> position(UUID characterId, int x, int y) {
        Map<String, Object> position = new LinkedHashMap<>();
        position.put("characterId", characterId.toString());
        position.put("x", x);
        position.put("y", y);
        return position;
    }

    /**
     * A freshly rotated reconnection token for the client's next drop (one script call; the server keeps only
     * digests, so it cannot repeat an earlier one). Without the cache the client keeps its old one.
     */
    @Nullable
    private String currentToken(String sessionId) {
        try {
            return sessions.rotateToken(sessionId).map(Session::reconnectionToken).filter(t -> !t.isEmpty())
                    .orElse(null);
        } catch (CacheUnavailableException e) {
            return null;
        }
    }
}
