package io.tilemud.functions.input;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, strict input over HTTP (RT-13, ADM-05, ADM-21, ADM-22): through the production handler class with
 * API Gateway v2 events, every malformed value is refused with the error contract and changes nothing.
 */
class StrictHttpInputTest {
    private final HttpFunction api = HttpFunction.shared();

    private static final List<String> NOT_STRINGS = List.of("true", "false", "12345", "1.5", "{\"v\":\"Aria\"}",
            "[\"Aria\"]");
    private static final List<String> NOT_STORABLE = List.of("\"Ar\\u0000ia\"", "\"\\ud800Aria\"", "\"Aria\\udfff\"");
    private static final List<String> NOT_INTEGERS = List.of("1.5", "10.0", "1e1", "true", "\"10\"", "4294967297",
            "18446744073709551617", "9223372036854775807", "[10]", "{\"n\":10}");

    private static void assertContract(HttpResult result, int status, String code) {
        assertEquals(status, result.status(), result.body());
        JsonNode body = result.json();
        assertEquals(code, body.get("code").asText(), result.body());
        assertTrue(body.get("message").isTextual(), result.body());
        assertTrue(body.get("transient").isBoolean(), result.body());
        assertFalse(body.get("transient").asBoolean(), result.body());
    }

    private HttpResult createCharacter(String token, String name) {
        return api.send(HttpEvents.request("POST", "/characters").bearer(token).json("{\"name\":" + name + "}"));
    }

    private int characterCount(String token) {
        return api.send(HttpEvents.get("/characters").bearer(token)).json().size();
    }

    @Test
    void createCharacter_nameNotAStringOrNotStorable_validationFailedAndNoCharacter() {
        // GIVEN a user without characters
        String token = Tokens.newPlayer();
        // WHEN names arrive as booleans, numbers, objects, or with NUL, lone surrogates and controls
        List<String> names = new java.util.ArrayList<>(NOT_STRINGS);
        names.addAll(NOT_STORABLE);
        names.addAll(List.of("\"Ar\\u0007ia\"", "\"Ar\\u0085ia\"", "\"Ar\\u007fia\"", "\"Aria\\n\"", "\"\\u200bAria\""));
        for (String name : names) {
            // THEN each is a non-transient VALIDATION_FAILED ({"name":true} used to create "true")
            assertContract(createCharacter(token, name), 400, "VALIDATION_FAILED");
        }
        // AND nothing was created
        assertEquals(0, characterCount(token));
    }

    @Test
    void createCharacter_bodyNotJson_badRequest() {
        String token = Tokens.newPlayer();
        for (String body : List.of("{\"name\":", "name=Aria", "{'name':'Aria'}", "")) {
            assertContract(api.send(HttpEvents.request("POST", "/characters").bearer(token).json(body)), 400, "BAD_REQUEST");
        }
        assertEquals(0, characterCount(token));
    }

    @Test
    void adminUpsert_capacityOrBuildOfWrongType_validationFailedAndInstanceUnchanged() {
        // GIVEN an instance of capacity 10
        String admin = Tokens.newAdmin();
        String id = "strict-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(200, api.send(HttpEvents.request("PUT", "/admin/instances/" + id).bearer(admin)
                .json("{\"capacity\":10,\"build\":\"b1\",\"state\":\"ACCEPTING\"}")).status());
        // WHEN capacity 1.5 / true / "10" / 2^32+1 … (1.5 and true used to be stored as 1)
        for (String capacity : NOT_INTEGERS) {
            assertContract(api.send(HttpEvents.request("PUT", "/admin/instances/" + id).bearer(admin)
                    .json("{\"capacity\":" + capacity + ",\"build\":\"b2\",\"state\":\"MAINTENANCE\"}")), 400, "VALIDATION_FAILED");
        }
        List<String> builds = new java.util.ArrayList<>(NOT_STRINGS);
        builds.addAll(NOT_STORABLE);
        for (String build : builds) {
            assertContract(api.send(HttpEvents.request("PUT", "/admin/instances/" + id).bearer(admin)
                    .json("{\"capacity\":20,\"build\":" + build + ",\"state\":\"MAINTENANCE\"}")), 400, "VALIDATION_FAILED");
        }
        // THEN the instance is as it was
        JsonNode read = api.send(HttpEvents.get("/admin/instances/" + id).bearer(admin)).json();
        assertEquals(10, read.get("capacity").asInt());
        assertEquals("b1", read.get("build").asText());
        assertEquals("ACCEPTING", read.get("state").asText());
    }

    @Test
    void selectActive_characterIdNotAString_validationFailedAndSelectionUnchanged() {
        String token = Tokens.newPlayer();
        String id = createCharacter(token, "\"Chosen One\"").json().get("id").asText();
        for (String characterId : List.of("1", "true", "1.5", "[\"" + id + "\"]", "\"" + id + "\\u0000\"", "\"nope\"", "\"1-1-1-1-1\"")) {
            assertContract(api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token)
                    .json("{\"characterId\":" + characterId + "}")), 400, "VALIDATION_FAILED");
        }
        assertFalse(api.send(HttpEvents.get("/characters").bearer(token)).json().get(0).get("active").asBoolean());
    }

    @Test
    void connect_fieldsOfWrongTypeOrNotStorable_validationFailedAndNoSession() {
        // GIVEN a player with an active character and a running instance
        String instance = "strict-" + UUID.randomUUID().toString().substring(0, 8);
        api.bean(InstanceService.class).upsert(instance, 10, "dev", InstanceState.ACCEPTING);
        String token = Tokens.newPlayer();
        String id = createCharacter(token, "\"Strict Joiner\"").json().get("id").asText();
        assertEquals(204, api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token)
                .json("{\"characterId\":\"" + id + "\"}")).status());
        // WHEN connect bodies carry non-strings
        for (String body : List.of(
                "{\"characterId\":true,\"clientBuild\":\"dev\"}",
                "{\"characterId\":\"" + id + "\",\"clientBuild\":1}",
                "{\"characterId\":\"" + id + "\",\"clientBuild\":\"dev\",\"reconnectionToken\":5}",
                "{\"characterId\":\"" + id + "\",\"clientBuild\":\"dev\\u0000\"}",
                "{\"characterId\":\"" + id + "\\ud800\",\"clientBuild\":\"dev\"}")) {
            assertContract(api.send(HttpEvents.request("POST", "/instances/" + instance + "/connect").bearer(token).json(body)),
                    400, "VALIDATION_FAILED");
        }
        // THEN no session was opened: the first well-formed attempt is admitted (ADM-08 would refuse a second)
        HttpResult admitted = api.send(HttpEvents.request("POST", "/instances/" + instance + "/connect").bearer(token)
                .json("{\"characterId\":\"" + id + "\",\"clientBuild\":\"dev\"}"));
        assertEquals("success", admitted.json().get("outcome").asText(), admitted.body());
        api.send(HttpEvents.request("DELETE", "/sessions/" + admitted.json().get("sessionId").asText()).bearer(token));
    }

    @Test
    void bootstrap_idsOfWrongTypeOrNotStorable_validationFailed() {
        String token = Tokens.newPlayer();
        String id = createCharacter(token, "\"Strict Boot\"").json().get("id").asText();
        api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token).json("{\"characterId\":\"" + id + "\"}"));
        for (String body : List.of("{\"instanceId\":1}", "{\"instanceId\":true}", "{\"sessionId\":7}",
                "{\"instanceId\":\"world\\u0000\"}", "{\"instanceId\":\"\\udc00\"}")) {
            assertContract(api.send(HttpEvents.request("POST", "/session/bootstrap").bearer(token).json(body)),
                    400, "VALIDATION_FAILED");
        }
    }

    /** Raw characters a URI cannot hold, which used to escape the handler as a 500 (URI syntax). */
    private static final List<String> ODD_IDS = List.of("a<b", "a\"b", "a\u007fb", "a\u0085b", "a b", "a\u0000b",
            "a{b}", "é", "a|b", "a\\b");

    @Test
    void pathIds_withCharactersNoUriHolds_answerWhatTheRouteDocuments() {
        String admin = Tokens.newAdmin();
        String player = Tokens.newPlayer();
        for (String id : ODD_IDS) {
            // admin read: NOT_FOUND; admin write: INVALID_INSTANCE, and nothing created
            assertContract(api.send(HttpEvents.get("/admin/instances/" + id).bearer(admin)), 404, "NOT_FOUND");
            assertContract(api.send(HttpEvents.request("PUT", "/admin/instances/" + id).bearer(admin)
                    .json("{\"capacity\":10,\"build\":\"b\",\"state\":\"ACCEPTING\"}")), 400, "INVALID_INSTANCE");
            // admission: INVALID_INSTANCE in the outcome body (ADM-05)
            // (a fresh caller each time: five failed attempts lock a user out, ADM-12)
            HttpResult connect = api.send(HttpEvents.request("POST", "/instances/" + id + "/connect").bearer(Tokens.newPlayer())
                    .json("{\"characterId\":\"" + UUID.randomUUID() + "\",\"clientBuild\":\"dev\"}"));
            assertEquals(200, connect.status(), id + " " + connect.body());
            assertEquals("failed", connect.json().get("outcome").asText());
            assertEquals("INVALID_INSTANCE", connect.json().get("reason").asText());
            assertContract(api.send(HttpEvents.get("/instances/" + id + "/queue/status?characterId=" + UUID.randomUUID())
                    .bearer(player)), 400, "INVALID_INSTANCE");
            assertContract(api.send(HttpEvents.request("DELETE", "/sessions/" + id).bearer(player)), 404, "NOT_FOUND");
        }
    }

    @Test
    void malformedPercentEscape_inPathOrQuery_badRequest() {
        String player = Tokens.newPlayer();
        assertContract(api.send(HttpEvents.get("/admin/instances/a%zzb").bearer(Tokens.newAdmin())), 400, "BAD_REQUEST");
        assertContract(api.send(HttpEvents.request("POST", "/instances/world%2/connect").bearer(player).json("{}")),
                400, "BAD_REQUEST");
        assertContract(api.send(HttpEvents.get("/instances/world-1/queue/status?characterId=%zz").bearer(player)),
                400, "BAD_REQUEST");
        assertContract(api.send(HttpEvents.request("POST", "/instances/world-1/connect?replaceToken=%").bearer(player)
                .json("{}")), 400, "BAD_REQUEST");
    }
}
