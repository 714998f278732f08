package io.tilemud.functions.input;

import io.tilemud.input.JsonFuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.admission.AdmissionKeys;
import io.tilemud.admission.RedisAdmissionLedger;
import io.tilemud.character.CharacterRepository;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.error.ErrorCode;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.UserRepository;
import io.tilemud.user.UserService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: property-based fuzzing of every HTTP body (and the path ids and query values) through the production
 * handler class on the embedded servers. For every input: no 5xx, every error is the contract
 * {@code {code, message, transient}} with a documented code and its documented transience, and an input refused
 * with a 4xx changed nothing.
 */
class HttpInputFuzzTest {
    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
    private static final Set<String> OUTCOMES = Set.of("success", "queued", "failed", "timeout");

    private static final class World {
        static final World INSTANCE = new World();
        final HttpFunction api = HttpFunction.shared();
        final String subject = "fuzz-" + UUID.randomUUID();
        final String token = Tokens.forSubject(subject);
        final String admin = Tokens.newAdmin();
        final UUID userId;
        final UUID characterId;
        final String adminInstance = "fuzz-admin-" + UUID.randomUUID().toString().substring(0, 8);
        final String playInstance = "fuzz-play-" + UUID.randomUUID().toString().substring(0, 8);

        /** Callers for the odd-path admissions, each used a few times: five failures lock a user (ADM-12). */
        private final List<String> players = java.util.stream.Stream.generate(Tokens::newPlayer).limit(80).toList();
        private final java.util.concurrent.atomic.AtomicInteger nextPlayer = new java.util.concurrent.atomic.AtomicInteger();

        String nextPlayer() {
            return players.get(Math.floorMod(nextPlayer.getAndIncrement(), players.size()));
        }

        World() {
            userId = api.bean(UserService.class).ensureUser(subject).id();
            characterId = ((CreateCharacterResult.Created) api.bean(CharacterService.class).create(userId, "Fuzz One"))
                    .character().id();
            api.bean(CharacterService.class).selectActive(userId, characterId);
            api.bean(InstanceService.class).upsert(adminInstance, 10, "b1", InstanceState.ACCEPTING);
            api.bean(InstanceService.class).upsert(playInstance, 1000, "dev", InstanceState.ACCEPTING);
        }
    }

    private final World w = World.INSTANCE;

    /** No 5xx; errors in the contract, with the code's documented transience; the parsed body. */
    private static JsonNode assertContract(HttpResult result, String input) {
        Statistics.label("answer").collect(result.status() + (result.body().contains("\"code\":\"")
                ? " " + result.json().path("code").asText() : ""));
        assertTrue(result.status() < 500, () -> result.status() + " for " + input + ": " + result.body());
        if (result.status() == 204) {
            return null;
        }
        JsonNode body = result.json();
        if (body.has("outcome")) {
            // admission's own body (REQUIREMENTS §2), also on its 429
            assertTrue(result.status() == 200 || result.status() == 429, () -> input + " -> " + result.body());
            assertTrue(OUTCOMES.contains(body.get("outcome").asText()), result.body());
            assertTrue(body.get("reason") == null || CODES.contains(body.get("reason").asText()), result.body());
        } else if (result.status() >= 400) {
            assertEquals(Set.of("code", "message", "transient"), fieldNames(body), () -> input + " -> " + result.body());
            assertTrue(CODES.contains(body.get("code").asText()), () -> input + " -> " + result.body());
            assertTrue(body.get("message").isTextual(), () -> input + " -> " + result.body());
            assertTrue(body.get("transient").isBoolean(), () -> input + " -> " + result.body());
            assertEquals(ErrorCode.valueOf(body.get("code").asText()).isTransient(), body.get("transient").asBoolean(),
                    () -> input + " -> " + result.body());
        }
        return body;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- POST /characters -------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> characterBodies() {
        return JsonFuzz.bodies(JsonFuzz.fields("name", Arbitraries.oneOf(JsonFuzz.strings(),
                Arbitraries.strings().alpha().numeric().ofMinLength(3).ofMaxLength(24).map(JsonFuzz::quote))));
    }

    @Property(tries = 300)
    void createCharacter_anyBody_contractAndNoCharacterUnlessCreated(@ForAll("characterBodies") String body) {
        int before = w.api.bean(CharacterRepository.class).findByUserIdOrderByCreatedAt(w.userId).size();
        HttpResult result = w.api.send(HttpEvents.request("POST", "/characters").bearer(w.token).json(body));
        assertContract(result, body);
        int after = w.api.bean(CharacterRepository.class).findByUserIdOrderByCreatedAt(w.userId).size();
        assertEquals(result.status() == 201 ? before + 1 : before, after, body);
    }

    // ---- PUT /me/active-character -----------------------------------------------------------------------------

    @Provide
    Arbitrary<String> activeBodies() {
        return JsonFuzz.bodies(JsonFuzz.fields("characterId",
                Arbitraries.of(w.characterId.toString(), UUID.randomUUID().toString()).map(JsonFuzz::quote)));
    }

    @Property(tries = 200)
    void selectActive_anyBody_contractAndSelectionUnchangedUnlessAccepted(@ForAll("activeBodies") String body) {
        UUID before = w.api.bean(UserRepository.class).findById(w.userId).orElseThrow().activeCharacterId();
        HttpResult result = w.api.send(HttpEvents.request("PUT", "/me/active-character").bearer(w.token).json(body));
        assertContract(result, body);
        if (result.status() != 204) {
            assertEquals(before, w.api.bean(UserRepository.class).findById(w.userId).orElseThrow().activeCharacterId(), body);
        }
    }

    // ---- PUT /admin/instances/{id} ----------------------------------------------------------------------------

    @Provide
    Arbitrary<String> instanceBodies() {
        return JsonFuzz.bodies(JsonFuzz.fields(
                "capacity", Arbitraries.integers().between(1, 100_000).map(String::valueOf),
                "build", Arbitraries.of("b1", "b2", "dev").map(JsonFuzz::quote),
                "state", Arbitraries.of(InstanceState.class).map(s -> JsonFuzz.quote(s.name()))));
    }

    @Property(tries = 300)
    void adminUpsert_anyBody_contractAndInstanceUnchangedUnlessAccepted(@ForAll("instanceBodies") String body) {
        var before = w.api.bean(InstanceService.class).find(w.adminInstance).orElseThrow();
        HttpResult result = w.api.send(HttpEvents.request("PUT", "/admin/instances/" + w.adminInstance).bearer(w.admin).json(body));
        assertContract(result, body);
        if (result.status() != 200) {
            assertEquals(before, w.api.bean(InstanceService.class).find(w.adminInstance).orElseThrow(), body);
        }
    }

    // ---- POST /instances/{id}/connect -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> connectBodies() {
        return JsonFuzz.bodies(JsonFuzz.fields(
                "characterId", Arbitraries.of(w.characterId.toString(), UUID.randomUUID().toString()).map(JsonFuzz::quote),
                "clientBuild", Arbitraries.of("dev", "old").map(JsonFuzz::quote),
                "reconnectionToken", JsonFuzz.strings()));
    }

    private List<Object> admissionState() {
        var redis = w.api.bean(RedisAdmissionLedger.class).commands();
        return Arrays.asList(redis.hget(AdmissionKeys.CHARACTER_LOCKS, w.characterId.toString()),
                redis.hlen(AdmissionKeys.sessions(w.playInstance)));
    }

    @Property(tries = 300)
    void connect_anyBody_contractAndNoAdmissionFromARefusedBody(@ForAll("connectBodies") String body) {
        List<Object> before = admissionState();
        HttpResult result = w.api.send(HttpEvents.request("POST", "/instances/" + w.playInstance + "/connect")
                .bearer(w.token).json(body));
        JsonNode answer = assertContract(result, body);
        if (!answer.has("outcome")) {
            assertEquals(before, admissionState(), body);
        }
        if (answer != null && answer.has("sessionId")) {
            // admitted: leave again, so later cases meet the same state
            w.api.send(HttpEvents.request("DELETE", "/sessions/" + answer.get("sessionId").asText()).bearer(w.token));
        }
    }

    // ---- POST /session/bootstrap ------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> bootstrapBodies() {
        return JsonFuzz.bodies(JsonFuzz.fields(
                "sessionId", JsonFuzz.strings(),
                "instanceId", Arbitraries.of(w.playInstance, "nope").map(JsonFuzz::quote)));
    }

    @Property(tries = 300)
    void bootstrap_anyBody_contract(@ForAll("bootstrapBodies") String body) {
        assertContract(w.api.send(HttpEvents.request("POST", "/session/bootstrap").bearer(w.token).json(body)), body);
    }

    // ---- path ids and query values ----------------------------------------------------------------------------

    @Provide
    Arbitrary<String> rawSegments() {
        // As sent on the wire: sometimes percent-encoded, sometimes raw characters no URI may hold
        return Arbitraries.oneOf(
                JsonFuzz.rawText().filter(s -> !s.contains("/") && !s.contains("?") && !s.contains("#")),
                JsonFuzz.rawText().map(s -> java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)),
                Arbitraries.of("%", "%z", "%zz", "%0", "%%", "a%2", "%C0%AF", "%ED%A0%80", "%00", "%FF"));
    }

    @Property(tries = 150)
    void pathIdsAndQueries_anyText_contractNever5xx(@ForAll("rawSegments") String raw) {
        String id = raw.isEmpty() ? "x" : raw;
        assertContract(w.api.send(HttpEvents.get("/admin/instances/" + id).bearer(w.admin)), id);
        assertContract(w.api.send(HttpEvents.request("POST", "/instances/" + id + "/connect").bearer(w.nextPlayer())
                .json("{\"characterId\":\"" + UUID.randomUUID() + "\",\"clientBuild\":\"dev\"}")), id);
        assertContract(w.api.send(HttpEvents.get("/instances/" + id + "/queue/status?characterId=" + id).bearer(w.token)), id);
        assertContract(w.api.send(HttpEvents.get("/instances/" + w.playInstance + "/queue/status?characterId=" + id)
                .bearer(w.token)), id);
        assertContract(w.api.send(HttpEvents.request("DELETE", "/sessions/" + id).bearer(w.token)), id);
    }
}
