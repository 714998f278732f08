package io.tilemud.contract;

import java.util.List;

/** Route keys of the WebSocket API; API Gateway selects them with {@link #ROUTE_SELECTION_EXPRESSION}. */
public final class WebSocketRoutes {
    public static final String ROUTE_SELECTION_EXPRESSION = "$request.body.type";
    public static final String CONNECT = "$connect";
    public static final String DISCONNECT = "$disconnect";
    public static final String DEFAULT = "$default";
    public static final String MOVE = "intent.move";
    public static final String CHAT = "intent.chat";
    public static final String ACTION = "intent.action";
    public static final String LEAVE = "intent.leave";
    public static final String PING = "ping";
    public static final String RESUME = "resume";
    /** ROOM-02: a line to the player's room, and the room events missed while away. */
    public static final String ROOM_CHAT = "room.chat";
    public static final String ROOM_RESUME = "room.resume";
    /** DSC-03: a reaction to a message of the room's Discord channel, and "typing…" there. */
    public static final String ROOM_REACT = "room.react";
    public static final String ROOM_TYPING = "room.typing";

    /** Routes served by the intent handler (everything but connect/disconnect). */
    public static final List<String> INTENT_ROUTES = List.of(MOVE, CHAT, ACTION, LEAVE, PING, RESUME, ROOM_CHAT,
            ROOM_RESUME, ROOM_REACT, ROOM_TYPING, DEFAULT);

    private WebSocketRoutes() {
    }
}
