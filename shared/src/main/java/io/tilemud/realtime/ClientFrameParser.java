package io.tilemud.realtime;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.tilemud.contract.WebSocketRoutes;
import io.tilemud.error.ErrorCode;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Client → server frames (RT-03/RT-04 input rules): size, shape and field limits. */
@Singleton
public class ClientFrameParser {
    private final JsonMapper json;

    public ClientFrameParser(JsonMapper json) {
        this.json = json;
    }

    public ClientFrame parse(String body) {
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > Intent.MAX_PAYLOAD_BYTES) {
            return new ClientFrame.Invalid(ErrorCode.PAYLOAD_TOO_LARGE, "frames are limited to " + Intent.MAX_PAYLOAD_BYTES + " bytes", null);
        }
        JsonNode frame;
        try {
            frame = json.readValue(body, JsonNode.class);
        } catch (Exception e) {
            return new ClientFrame.Invalid(ErrorCode.BAD_REQUEST, "frame is not JSON", null);
        }
        if (frame == null || !frame.isObject() || frame.get("type") == null || !frame.get("type").isString()) {
            return new ClientFrame.Invalid(ErrorCode.BAD_REQUEST, "frame needs a string type", null);
        }
        String type = frame.get("type").getStringValue();
        if (type.equals(WebSocketRoutes.PING)) {
            return new ClientFrame.Ping();
        }
        if (type.equals(WebSocketRoutes.LEAVE)) {
            return new ClientFrame.Leave();
        }
        if (type.equals(WebSocketRoutes.RESUME)) {
            JsonNode lastSeq = frame.get("lastSeq");
            if (lastSeq == null || lastSeq.isNull()) {
                return new ClientFrame.Resume(null);
            }
            if (!isWholeNumber(lastSeq) || lastSeq.getLongValue() < 0) {
                return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "lastSeq must be a non-negative integer", null);
            }
            return new ClientFrame.Resume(lastSeq.getLongValue());
        }
        if (type.equals(WebSocketRoutes.ROOM_CHAT)) {
            JsonNode text = frame.get("text");
            if (text == null || !text.isString() || text.getStringValue().isBlank()) {
                return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "room.chat needs text", null);
            }
            String value = text.getStringValue();
            if (value.codePointCount(0, value.length()) > Intent.MAX_CHAT_LENGTH) {
                return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "chat is limited to " + Intent.MAX_CHAT_LENGTH + " characters", null);
            }
            return new ClientFrame.RoomChat(value);
        }
        if (type.equals(WebSocketRoutes.ROOM_RESUME)) {
            JsonNode roomSeq = frame.get("roomSeq");
            if (roomSeq == null || roomSeq.isNull()) {
                return new ClientFrame.RoomResume(null);
            }
            if (!isWholeNumber(roomSeq) || roomSeq.getLongValue() < 0) {
                return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "roomSeq must be a non-negative integer", null);
            }
            return new ClientFrame.RoomResume(roomSeq.getLongValue());
        }
        JsonNode seqNode = frame.get("seq");
        if (!type.equals(WebSocketRoutes.MOVE) && !type.equals(WebSocketRoutes.CHAT) && !type.equals(WebSocketRoutes.ACTION)) {
            return new ClientFrame.Invalid(ErrorCode.BAD_REQUEST, "unknown frame type " + type, null);
        }
        if (seqNode == null || !isWholeNumber(seqNode) || seqNode.getLongValue() < 1) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "seq must be a positive integer", null);
        }
        long seq = seqNode.getLongValue();
        return switch (type) {
            case WebSocketRoutes.MOVE -> {
                JsonNode dx = frame.get("dx");
                JsonNode dy = frame.get("dy");
                if (dx == null || dy == null || !dx.isNumber() || !dy.isNumber()) {
                    yield new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "move needs integer dx and dy", seq);
                }
                yield new ClientFrame.StateChange(new Intent.Move(seq, dx.getIntValue(), dy.getIntValue()));
            }
            case WebSocketRoutes.CHAT -> {
                JsonNode text = frame.get("text");
                if (text == null || !text.isString() || text.getStringValue().isBlank()) {
                    yield new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "chat needs text", seq);
                }
                String value = text.getStringValue();
                if (value.codePointCount(0, value.length()) > Intent.MAX_CHAT_LENGTH) {
                    yield new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "chat is limited to " + Intent.MAX_CHAT_LENGTH + " characters", seq);
                }
                yield new ClientFrame.StateChange(new Intent.Chat(seq, value));
            }
            default -> {
                JsonNode kind = frame.get("kind");
                if (kind == null || !kind.isString() || kind.getStringValue().isBlank()) {
                    yield new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "action needs a kind", seq);
                }
                Map<String, Object> args = new LinkedHashMap<>();
                JsonNode argsNode = frame.get("args");
                if (argsNode != null && argsNode.isObject()) {
                    for (Map.Entry<String, JsonNode> e : argsNode.entries()) {
                        args.put(e.getKey(), e.getValue().isString() ? e.getValue().getStringValue() : e.getValue().toString());
                    }
                }
                yield new ClientFrame.StateChange(new Intent.Action(seq, kind.getStringValue(), args));
            }
        };
    }

    /** An integer that fits a long: 1.0, 1e3 and 2^70 are refused rather than silently truncated. */
    private static boolean isWholeNumber(JsonNode node) {
        if (!node.isNumber()) {
            return false;
        }
        Number n = node.getNumberValue();
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }
}
