package io.tilemud.realtime;

import java.time.Instant;
import java.util.List;

/** Reads the action log back for a reconnecting client (RT-06). Each list is in log order and at most {@code limit} long. */
public interface ActionHistory {

    /** The session's own events after {@code afterSeq}. */
    List<PastEvent> ofSessionAfter(String sessionId, long afterSeq, int limit);

    /**
     * Other sessions' events on the instance in {@code [from, to]} that happened within {@code radius} tiles
     * (Chebyshev) of {@code (x, y)}: what a player standing there would have been shown.
     */
    List<PastEvent> seenFrom(String instanceId, int x, int y, int radius, String exceptSessionId, Instant from,
                             Instant to, int limit);
}
