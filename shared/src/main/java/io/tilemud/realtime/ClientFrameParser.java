package io.tilemud.realtime;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.exceptions.SerdeException;
import io.tilemud.contract.WebSocketRoutes;
import io.tilemud.error.ErrorCode;
import io.tilemud.input.InputRejectedException;
import io.tilemud.input.StorableText;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Client → server frames (RT-03/RT-04 input rules): size, shape and field limits. Text that is not JSON is
 * {@code BAD_REQUEST}; JSON whose fields have the wrong type, a float or an out-of-range number for an integer, or
 * text PostgreSQL cannot store is {@code VALIDATION_FAILED}, with the frame's {@code seq} when it can be read. Either
 * way nothing is applied and no seq is consumed.
 */
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
        try {
            return switch (type) {
                case WebSocketRoutes.PING -> new ClientFrame.Ping();
                case WebSocketRoutes.LEAVE -> new ClientFrame.Leave();
                case WebSocketRoutes.RESUME -> resume(decode(frame, ClientFrames.Resume.class));
                case WebSocketRoutes.MOVE -> move(decode(frame, ClientFrames.Move.class));
                case WebSocketRoutes.CHAT -> chat(decode(frame, ClientFrames.Chat.class));
                case WebSocketRoutes.ACTION -> action(decode(frame, ClientFrames.Action.class));
                case WebSocketRoutes.ROOM_CHAT -> roomChat(decode(frame, ClientFrames.RoomChat.class));
                case WebSocketRoutes.ROOM_RESUME -> roomResume(decode(frame, ClientFrames.RoomResume.class));
                case WebSocketRoutes.ROOM_REACT -> roomReact(decode(frame, ClientFrames.RoomReact.class));
                case WebSocketRoutes.ROOM_TYPING -> {
                    decode(frame, ClientFrames.RoomTyping.class);
                    yield new ClientFrame.RoomTyping();
                }
                default -> new ClientFrame.Invalid(ErrorCode.BAD_REQUEST,
                        "unknown frame type " + StorableText.printable(type, 64), null);
            };
        } catch (InvalidField e) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, e.getMessage(), readableSeq(frame));
        }
    }

    private ClientFrame resume(ClientFrames.Resume f) {
        if (f.lastSeq() != null && f.lastSeq() < 0) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "lastSeq must be a non-negative integer", null);
        }
        return new ClientFrame.Resume(f.lastSeq());
    }

    private ClientFrame roomChat(ClientFrames.RoomChat f) {
        if (f.text() == null || f.text().isBlank()) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "room.chat needs text", null);
        }
        if (f.text().codePointCount(0, f.text().length()) > Intent.MAX_CHAT_LENGTH) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "chat is limited to " + Intent.MAX_CHAT_LENGTH + " characters", null);
        }
        return new ClientFrame.RoomChat(f.text());
    }

    /** Discord ids are snowflakes; an emoji is a few code points (unicode) or {@code name:id} of a custom one. */
    private ClientFrame roomReact(ClientFrames.RoomReact f) {
        if (f.messageId() == null || !f.messageId().matches("[0-9]{1,25}")) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "messageId must be a Discord message id", null);
        }
        if (f.emoji() == null || f.emoji().isBlank() || f.emoji().codePointCount(0, f.emoji().length()) > 64
                || f.emoji().codePoints().anyMatch(cp -> Character.isISOControl(cp) || cp == '/' || Character.isWhitespace(cp))) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "emoji must be an emoji or name:id, at most 64 characters", null);
        }
        return new ClientFrame.RoomReact(f.messageId(), f.emoji());
    }

    private ClientFrame roomResume(ClientFrames.RoomResume f) {
        if (f.roomSeq() != null && f.roomSeq() < 0) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "roomSeq must be a non-negative integer", null);
        }
        return new ClientFrame.RoomResume(f.roomSeq(), f.roomId());
    }

    private ClientFrame move(ClientFrames.Move f) {
        if (f.seq() == null || f.seq() < 1) {
            return invalidSeq();
        }
        if (f.dx() == null || f.dy() == null) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "move needs integer dx and dy", f.seq());
        }
        return new ClientFrame.StateChange(new Intent.Move(f.seq(), f.dx(), f.dy()));
    }

    private ClientFrame chat(ClientFrames.Chat f) {
        if (f.seq() == null || f.seq() < 1) {
            return invalidSeq();
        }
        if (f.text() == null || f.text().isBlank()) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "chat needs text", f.seq());
        }
        if (f.text().codePointCount(0, f.text().length()) > Intent.MAX_CHAT_LENGTH) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "chat is limited to " + Intent.MAX_CHAT_LENGTH + " characters", f.seq());
        }
        return new ClientFrame.StateChange(new Intent.Chat(f.seq(), f.text()));
    }

    private ClientFrame action(ClientFrames.Action f) {
        if (f.seq() == null || f.seq() < 1) {
            return invalidSeq();
        }
        if (f.kind() == null || f.kind().isBlank()) {
            return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "action needs a kind", f.seq());
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (f.args() != null && f.args().isObject()) {
            for (Map.Entry<String, JsonNode> e : f.args().entries()) {
                Optional<String> problem = StorableText.problem(e.getKey()).or(() -> problemIn(e.getValue()));
                if (problem.isPresent()) {
                    return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "args: " + problem.get(), f.seq());
                }
                args.put(e.getKey(), e.getValue().isString() ? e.getValue().getStringValue() : e.getValue().toString());
            }
        }
        return new ClientFrame.StateChange(new Intent.Action(f.seq(), f.kind(), args));
    }

    private static ClientFrame invalidSeq() {
        return new ClientFrame.Invalid(ErrorCode.VALIDATION_FAILED, "seq must be a positive integer", null);
    }

    private <T> T decode(JsonNode frame, Class<T> shape) throws InvalidField {
        try {
            return json.readValueFromTree(frame, shape);
        } catch (InputRejectedException e) {
            throw new InvalidField(e.getMessage());
        } catch (SerdeException e) {
            throw new InvalidField(causeOf(e));
        } catch (IOException e) {
            throw new InvalidField("frame does not match its type");
        }
    }

    private static String causeOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputRejectedException rejected) {
                return rejected.getMessage();
            }
        }
        return "frame does not match its type";
    }

    /** The frame's seq for the error reply, when it is a positive integer; otherwise none is claimed. */
    private static Long readableSeq(JsonNode frame) {
        JsonNode seq = frame.get("seq");
        if (seq == null || !seq.isNumber()) {
            return null;
        }
        Number n = seq.getNumberValue();
        boolean integral = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || (n instanceof BigInteger big && big.bitLength() < 64);
        return integral && n.longValue() >= 1 ? n.longValue() : null;
    }

    private static Optional<String> problemIn(JsonNode node) {
        if (node.isString()) {
            return StorableText.problem(node.getStringValue());
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.entries()) {
                Optional<String> p = StorableText.problem(e.getKey()).or(() -> problemIn(e.getValue()));
                if (p.isPresent()) {
                    return p;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node.values()) {
                Optional<String> p = problemIn(item);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    /** A field that does not fit its declared type (checked, so every decode site must answer it). */
    private static final class InvalidField extends Exception {
        InvalidField(String message) {
            super(message, null, false, false);
        }
    }
}
