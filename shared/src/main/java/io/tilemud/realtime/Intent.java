package io.tilemud.realtime;

import java.util.Map;

/** A state-changing client intent (RT-03): every one carries the session's next sequence number. */
public sealed interface Intent permits Intent.Move, Intent.Chat, Intent.Action {
    /** Largest accepted intent payload (RT-04). */
    int MAX_PAYLOAD_BYTES = 4 * 1024;
    /** Longest chat line, in characters (RT-04). */
    int MAX_CHAT_LENGTH = 256;

    long seq();

    /** The kind stored in the action log. */
    String kind();

    /** One step on the grid: {@code dx, dy} in {-1, 0, 1}, not both 0. */
    record Move(long seq, int dx, int dy) implements Intent {
        @Override
        public String kind() {
            return "move";
        }
    }

    record Chat(long seq, String text) implements Intent {
        @Override
        public String kind() {
            return "chat";
        }
    }

    /** A game action with free-form arguments; recorded durably, its rules arrive with the game content. */
    record Action(long seq, String name, Map<String, Object> args) implements Intent {
        @Override
        public String kind() {
            return "action";
        }
    }
}
