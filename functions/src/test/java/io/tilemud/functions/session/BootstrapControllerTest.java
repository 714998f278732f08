package io.tilemud.functions.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import io.tilemud.realtime.ActionLog;
import io.tilemud.realtime.Intent;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RT-02 bootstrap, and RT-12: only the caller's own session and character. */
class BootstrapControllerTest {
    private final HttpFunction api = HttpFunction.shared();

    private record Player(String token, String characterId) {
    }

    private String newInstance() {
        String id = "boot-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResult created = api.send(HttpEvents.request("PUT", "/admin/instances/" + id).bearer(Tokens.newAdmin())
                .json("{\"capacity\":10,\"build\":\"dev\",\"state\":\"ACCEPTING\"}"));
        assertEquals(200, created.status(), created.body());
        return id;
    }

    private Player playerWithActiveCharacter() {
        String token = Tokens.newPlayer();
        String id = api.send(HttpEvents.request("POST", "/characters").bearer(token).json("{\"name\":\"Booter\"}"))
                .json().get("id").asText();
        api.send(HttpEvents.request("PUT", "/me/active-character").bearer(token).json("{\"characterId\":\"" + id + "\"}"));
        return new Player(token, id);
    }

    private String admit(Player player, String instance) {
        HttpResult admitted = api.send(HttpEvents.request("POST", "/instances/" + instance + "/connect").bearer(player.token())
                .json("{\"characterId\":\"" + player.characterId() + "\",\"clientBuild\":\"dev\"}"));
        assertEquals("success", admitted.json().get("outcome").asText(), admitted.body());
        return admitted.json().get("sessionId").asText();
    }

    private HttpResult bootstrap(String token, String body) {
        return api.send(HttpEvents.request("POST", "/session/bootstrap").bearer(token).json(body));
    }

    @Test
    void bootstrap_liveSession_characterWorldBuildAndLastAckedSeq() {
        // GIVEN an admitted player whose first two moves were persisted
        String instance = newInstance();
        Player player = playerWithActiveCharacter();
        String sessionId = admit(player, instance);
        ActionLog log = api.bean(ActionLog.class);
        log.apply(sessionId, UUID.fromString(player.characterId()), instance, new Intent.Move(1, 1, 0));
        log.apply(sessionId, UUID.fromString(player.characterId()), instance, new Intent.Move(2, 0, 1));
        // WHEN
        HttpResult result = bootstrap(player.token(), "{\"sessionId\":\"" + sessionId + "\"}");
        // THEN
        assertEquals(200, result.status(), result.body());
        JsonNode body = result.json();
        assertEquals("dev", body.get("build").asText());
        assertEquals(2, body.get("lastSeq").asLong());
        assertEquals(player.characterId(), body.get("character").get("id").asText());
        assertEquals(1, body.get("character").get("x").asInt());
        assertEquals(1, body.get("character").get("y").asInt());
        assertEquals(instance, body.get("world").get("instanceId").asText());
        assertEquals(64, body.get("world").get("width").asInt());
    }

    @Test
    void bootstrap_instanceOnly_stateFromPostgresWithoutSession() {
        String instance = newInstance();
        Player player = playerWithActiveCharacter();

        HttpResult result = bootstrap(player.token(), "{\"instanceId\":\"" + instance + "\"}");

        assertEquals(200, result.status(), result.body());
        assertEquals(0, result.json().get("lastSeq").asLong());
        assertEquals(0, result.json().get("character").get("x").asInt());
    }

    @Test
    void bootstrap_instanceWithWalls_wallsInTheWorldInRowOrder() throws Exception {
        // GIVEN an instance with two walls (the web client draws them; once this answered 500 for any wall)
        String instance = newInstance();
        try (var c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(
                api.bean(javax.sql.DataSource.class)).getConnection();
             var insert = c.prepareStatement("INSERT INTO world_walls (instance_id, x, y) VALUES (?, ?, ?)")) {
            for (int[] wall : new int[][]{{5, 6}, {3, 4}}) {
                insert.setString(1, instance);
                insert.setInt(2, wall[0]);
                insert.setInt(3, wall[1]);
                insert.executeUpdate();
            }
        }
        Player player = playerWithActiveCharacter();
        // WHEN
        HttpResult result = bootstrap(player.token(), "{\"instanceId\":\"" + instance + "\"}");
        // THEN
        assertEquals(200, result.status(), result.body());
        assertEquals("[[3,4],[5,6]]", result.json().get("world").get("walls").toString());
    }

    @Test
    void bootstrap_anotherUsersSession_notFound() {
        String instance = newInstance();
        Player alice = playerWithActiveCharacter();
        String alicesSession = admit(alice, instance);
        Player mallory = playerWithActiveCharacter();

        HttpResult result = bootstrap(mallory.token(), "{\"sessionId\":\"" + alicesSession + "\"}");

        assertEquals(404, result.status(), result.body());
        assertEquals("NOT_FOUND", result.json().get("code").asText());
    }

    @Test
    void bootstrap_noActiveCharacterOrNoWorld_clearErrors() {
        HttpResult noCharacter = bootstrap(Tokens.newPlayer(), "{\"instanceId\":\"world-1\"}");
        HttpResult noWorld = bootstrap(playerWithActiveCharacter().token(), "{\"instanceId\":\"no-such-world\"}");

        assertEquals("NO_ACTIVE_CHARACTER", noCharacter.json().get("code").asText(), noCharacter.body());
        assertEquals("INVALID_INSTANCE", noWorld.json().get("code").asText(), noWorld.body());
    }
}
