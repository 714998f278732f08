package io.tilemud.functions.character;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ADM-22 Characters API, RT-12 isolation between users, RT-13 error contract on bad input. */
class CharacterControllerTest {
    private final HttpFunction api = HttpFunction.shared();

    private HttpResult create(String token, String body) {
        return api.send(HttpEvents.request("POST", "/characters").bearer(token).json(body));
    }

    private JsonNode list(String token) {
        HttpResult result = api.send(HttpEvents.get("/characters").bearer(token));
        assertEquals(200, result.status(), result.body());
        return result.json();
    }

    private static void assertError(HttpResult result, int status, String code) {
        assertEquals(status, result.status(), result.body());
        assertEquals(code, result.json().get("code").asText(), result.body());
        assertNotNull(result.json().get("message"));
        assertFalse(result.json().get("transient").asBoolean());
    }

    @Test
    void create_validName_returns201AndListsIt() {
        // GIVEN a user on its first call (created on the fly)
        String token = Tokens.newPlayer();
        // WHEN
        HttpResult created = create(token, "{\"name\":\"  Aria_01 \"}");
        // THEN
        assertEquals(201, created.status(), created.body());
        assertEquals("Aria_01", created.json().get("name").asText());
        String id = created.json().get("id").asText();
        assertEquals("/characters/" + id, created.header("location"));
        JsonNode mine = list(token);
        assertEquals(1, mine.size());
        assertEquals(id, mine.get(0).get("id").asText());
        assertFalse(mine.get(0).get("active").asBoolean());
    }

    @Test
    void create_nameTooShortOrTooLongOrOddCharacters_returns400AndStoresNothing() {
        String token = Tokens.newPlayer();
        for (String body : List.of("{\"name\":\"ab\"}", "{\"name\":\"" + "x".repeat(25) + "\"}",
                "{\"name\":\"<script>\"}", "{\"name\":\"   \"}", "{}")) {
            assertError(create(token, body), 400, "VALIDATION_FAILED");
        }
        assertEquals(0, list(token).size());
    }

    @Test
    void create_sameNameAnyCase_returns409AndKeepsOne() {
        String token = Tokens.newPlayer();
        assertEquals(201, create(token, "{\"name\":\"Mira\"}").status());

        assertError(create(token, "{\"name\":\"mIRA\"}"), 409, "NAME_TAKEN");

        assertEquals(1, list(token).size());
    }

    @Test
    void create_sameNameTwoUsers_bothSucceed() {
        assertEquals(201, create(Tokens.newPlayer(), "{\"name\":\"Shared Name\"}").status());
        assertEquals(201, create(Tokens.newPlayer(), "{\"name\":\"Shared Name\"}").status());
    }

    @Test
    void create_concurrentSameName_exactlyOneCreated() throws Exception {
        // GIVEN one user racing itself (two tabs)
        String token = Tokens.newPlayer();
        List<Thread> threads = new ArrayList<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual().start(() -> statuses.add(create(token, "{\"name\":\"Racer\"}").status())));
        }
        for (Thread t : threads) {
            t.join();
        }
        // THEN
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
        assertEquals(1, list(token).size());
    }

    @Test
    void create_malformedJson_returns400WithErrorContract() {
        assertError(create(Tokens.newPlayer(), "{\"name\":"), 400, "BAD_REQUEST");
    }

    @Test
    void create_nameOfWrongType_returns400() {
        String token = Tokens.newPlayer();
        HttpResult result = create(token, "{\"name\":{\"nested\":true}}");
        assertEquals(400, result.status(), result.body());
        assertEquals(0, list(token).size());
    }

    @Test
    void create_bodyOver16KiB_returns413AndStoresNothing() {
        String token = Tokens.newPlayer();
        assertError(create(token, "{\"name\":\"" + "a".repeat(17 * 1024) + "\"}"), 413, "PAYLOAD_TOO_LARGE");
        assertEquals(0, list(token).size());
    }

    @Test
    void list_otherUsersCharacters_neverShown() {
        String alice = Tokens.newPlayer();
        String bob = Tokens.newPlayer();
        create(alice, "{\"name\":\"Alice One\"}");

        assertEquals(0, list(bob).size());
    }

    @Test
    void selectActive_ownCharacter_returns204AndMarksIt() {
        String token = Tokens.newPlayer();
        String id = create(token, "{\"name\":\"Chosen\"}").json().get("id").asText();
        create(token, "{\"name\":\"Other\"}");

        HttpResult result = api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token)
                .json("{\"characterId\":\"" + id + "\"}"));

        assertEquals(204, result.status(), result.body());
        for (JsonNode c : list(token)) {
            assertEquals(c.get("id").asText().equals(id), c.get("active").asBoolean());
        }
    }

    @Test
    void selectActive_anotherUsersCharacter_returns404AndChangesNothing() {
        // GIVEN bob has an active character and alice owns another one
        String alice = Tokens.newPlayer();
        String bob = Tokens.newPlayer();
        String alices = create(alice, "{\"name\":\"Alices\"}").json().get("id").asText();
        String bobs = create(bob, "{\"name\":\"Bobs\"}").json().get("id").asText();
        api.send(HttpEvents.request("PUT", "/me/active-character").bearer(bob).json("{\"characterId\":\"" + bobs + "\"}"));
        // WHEN bob tries to select alice's character
        HttpResult result = api.send(HttpEvents.request("PUT", "/me/active-character").bearer(bob)
                .json("{\"characterId\":\"" + alices + "\"}"));
        // THEN
        assertError(result, 404, "NOT_FOUND");
        assertTrue(list(bob).get(0).get("active").asBoolean());
        assertFalse(list(alice).get(0).get("active").asBoolean());
    }

    @Test
    void selectActive_unknownOrMalformedId_returnsClientErrors() {
        String token = Tokens.newPlayer();
        assertError(api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token)
                .json("{\"characterId\":\"" + UUID.randomUUID() + "\"}")), 404, "NOT_FOUND");
        assertEquals(400, api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token)
                .json("{\"characterId\":\"not-a-uuid\"}")).status());
        assertEquals(400, api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token)
                .json("{}")).status());
    }

    @Test
    void wrongMethod_onKnownRoute_returns405WithErrorContract() {
        assertError(api.send(HttpEvents.request("DELETE", "/characters").bearer(Tokens.newPlayer())), 405, "METHOD_NOT_ALLOWED");
    }
}
