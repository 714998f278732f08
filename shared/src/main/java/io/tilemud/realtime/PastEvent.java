package io.tilemud.realtime;

import io.micronaut.core.annotation.Nullable;

/**
 * An acknowledged intent as the action log keeps it, replayed to a client that missed it (RT-06).
 *
 * @param id   the log's global order
 * @param x    where the character stood after the event
 * @param text the chat line, for chat events
 */
public record PastEvent(long id, String sessionId, long seq, String characterId, String kind, int x, int y,
                        @Nullable String text) {
}
