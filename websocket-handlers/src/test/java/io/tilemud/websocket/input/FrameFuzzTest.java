package io.tilemud.websocket.input;

import io.tilemud.input.JsonFuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.error.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: property-based fuzzing of every client frame type through the real intent handler, on the embedded
 * servers. For every frame: a reply of a documented type; every error in the contract with a documented code and its
 * documented transience, never a server-side failure code; a refused frame leaves position, last seq and action log
 * as they were; an ack advances the seq by at most one.
 */
class FrameFuzzTest {
    /** The codes specs/asyncapi.yaml documents for event.error: a frame's error must be one of them. */
    private static final Set<String> CODES = documentedErrorCodes();
    /** What bad input must never be mistaken for: failures of ours or of a dependency, which clients retry. */
    private static final Set<String> SERVER_SIDE = Set.of("DB_UNAVAILABLE", "INTERNAL_ERROR", "SERVICE_DEGRADED");
    private static final Set<String> REPLY_TYPES = Set.of("event.ack", "event.error", "pong", "event.snapshot",
            "event.resume");
    /** Placeholders resolved when the frame is sent: the next seq, and the last acknowledged one (a replay). */
    private static final String NEXT = "@NEXT@";
    private static final String LAST = "@LAST@";

    @SuppressWarnings("unchecked")
    private static Set<String> documentedErrorCodes() {
        try (var reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("..", "specs", "asyncapi.yaml"))) {
            Map<String, Object> spec = new org.yaml.snakeyaml.Yaml().load(reader);
            Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) spec.get("components"))
                    .get("messages")).get("Error");
            Map<String, Object> code = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) error.get("payload"))
                    .get("properties")).get("code");
            Set<String> codes = Set.copyOf((java.util.List<String>) code.get("enum"));
            assertTrue(Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet()).containsAll(codes));
            return codes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final Map<String, RealtimeWorld.Player> PLAYERS = new ConcurrentHashMap<>();
    private final RealtimeWorld world = RealtimeWorld.shared();

    private RealtimeWorld.Player player(String name) {
        return PLAYERS.computeIfAbsent(name, world::connectedPlayer);
    }

    private static Arbitrary<String> seqs() {
        return Arbitraries.of(NEXT, NEXT, NEXT, LAST, "1");
    }

    /** Frames of one type: its fields each absent, plausible or anything, sometimes extra ones; some not JSON. */
    private static Arbitrary<String> frames(String type, Object... fields) {
        String head = "{\"type\":" + JsonFuzz.quote(type);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, JsonFuzz.objects(JsonFuzz.fields(fields))
                        .map(f -> f.equals("{}") ? head + "}" : head + "," + f.substring(1))),
                net.jqwik.api.Tuple.of(1, JsonFuzz.notJsonObjects()));
    }

    private void check(String playerName, String template) {
        RealtimeWorld.Player player = player(playerName);
        RealtimeWorld.Durable before = world.durable(player);
        String frame = template.replace(NEXT, String.valueOf(before.lastSeq() + 1))
                .replace(LAST, String.valueOf(before.lastSeq()));
        JsonNode reply = world.send(player, "$default", frame);
        RealtimeWorld.Durable after = world.durable(player);
        String type = reply.path("type").asText();
        Statistics.label("reply").collect(type.equals("event.error") ? reply.path("code").asText() : type);
        assertTrue(REPLY_TYPES.contains(type), () -> frame + " -> " + reply);
        if (type.equals("event.ack")) {
            assertTrue(after.lastSeq() == before.lastSeq() || after.lastSeq() == before.lastSeq() + 1, () -> frame + " -> " + reply);
            assertTrue(reply.get("seq").asLong() <= after.lastSeq(), () -> frame + " -> " + reply);
            return;
        }
        if (type.equals("event.error")) {
            String code = reply.path("code").asText();
            assertTrue(CODES.contains(code), () -> frame + " -> " + reply);
            assertFalse(SERVER_SIDE.contains(code), () -> frame + " -> " + reply);
            assertTrue(reply.get("transient").isBoolean(), () -> frame + " -> " + reply);
            assertEquals(ErrorCode.valueOf(code).isTransient(), reply.get("transient").asBoolean(), () -> frame + " -> " + reply);
            assertTrue(reply.get("message").isTextual(), () -> frame + " -> " + reply);
            assertTrue(reply.get("seq") == null || reply.get("seq").isIntegralNumber(), () -> frame + " -> " + reply);
        }
        // refused, or a read-only answer: nothing durable moved
        assertEquals(before, after, () -> frame + " -> " + reply);
    }

    @Provide
    Arbitrary<String> moves() {
        Arbitrary<String> step = Arbitraries.of("-1", "0", "1");
        return frames("intent.move", "seq", seqs(), "dx", step, "dy", step);
    }

    @Property(tries = 400)
    void move_anyFrame_contractAndNothingAppliedUnlessAcked(@ForAll("moves") String frame) {
        check("Fuzz Mover", frame);
    }

    @Provide
    Arbitrary<String> chats() {
        return frames("intent.chat", "seq", seqs(), "text", Arbitraries.of("hi", "hello there", "\ud83d\ude00").map(JsonFuzz::quote));
    }

    @Property(tries = 400)
    void chat_anyFrame_contractAndNothingStoredUnlessAcked(@ForAll("chats") String frame) {
        check("Fuzz Chatter", frame);
    }

    @Provide
    Arbitrary<String> actions() {
        return frames("intent.action", "seq", seqs(), "kind", Arbitraries.of("wave", "emote").map(JsonFuzz::quote),
                "args", Arbitraries.oneOf(Arbitraries.just("{}"), JsonFuzz.values(2)));
    }

    @Property(tries = 400)
    void action_anyFrame_contractAndNoActionRowUnlessAcked(@ForAll("actions") String frame) {
        check("Fuzz Actor", frame);
    }

    @Provide
    Arbitrary<String> resumes() {
        return frames("resume", "lastSeq", Arbitraries.of("0", LAST, NEXT));
    }

    @Property(tries = 300)
    void resume_anyFrame_contractAndNothingChanged(@ForAll("resumes") String frame) {
        check("Fuzz Resumer", frame);
    }

    @Provide
    Arbitrary<String> anyFrames() {
        Arbitrary<String> types = Arbitraries.oneOf(
                Arbitraries.of("ping", "intent.fly", "", "INTENT.MOVE", "intent.move ", "event.ack").map(JsonFuzz::quote),
                JsonFuzz.values(1).filter(t -> !t.contains("intent.leave")));
        return Arbitraries.oneOf(
                JsonFuzz.objects(JsonFuzz.fields("type", types, "seq", seqs(), "dx", JsonFuzz.values(0),
                        "text", JsonFuzz.strings())),
                JsonFuzz.notJsonObjects());
    }

    @Property(tries = 300)
    void anyFrameType_orNotJson_contractAndNothingChanged(@ForAll("anyFrames") String frame) {
        check("Fuzz Stranger", frame);
    }
}
