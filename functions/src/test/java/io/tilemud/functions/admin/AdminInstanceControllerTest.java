package io.tilemud.functions.admin;

import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ADM-21: operators manage instances; nobody else can. */
class AdminInstanceControllerTest {
    private final HttpFunction api = HttpFunction.shared();

    private static String newInstanceId() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResult put(String token, String id, String body) {
        return api.send(HttpEvents.request("PUT", "/admin/instances/" + id).bearer(token).json(body));
    }

    @Test
    void put_adminCreatesThenUpdates_getShowsLatest() {
        String admin = Tokens.newAdmin();
        String id = newInstanceId();

        HttpResult created = put(admin, id, "{\"capacity\":10,\"build\":\"b1\",\"state\":\"ACCEPTING\"}");
        HttpResult updated = put(admin, id, "{\"capacity\":20,\"build\":\"b2\",\"state\":\"DRAINING\"}");
        HttpResult read = api.send(HttpEvents.get("/admin/instances/" + id).bearer(admin));

        assertEquals(200, created.status(), created.body());
        assertEquals(200, updated.status(), updated.body());
        assertEquals(200, read.status());
        assertEquals(20, read.json().get("capacity").asInt());
        assertEquals("b2", read.json().get("build").asText());
        assertEquals("DRAINING", read.json().get("state").asText());
    }

    @Test
    void put_playerWithoutAdminClaim_returns403AndCreatesNothing() {
        String id = newInstanceId();

        HttpResult result = put(Tokens.newPlayer(), id, "{\"capacity\":10,\"build\":\"b1\",\"state\":\"ACCEPTING\"}");

        assertEquals(403, result.status(), result.body());
        assertEquals("FORBIDDEN", result.json().get("code").asText());
        assertEquals(404, api.send(HttpEvents.get("/admin/instances/" + id).bearer(Tokens.newAdmin())).status());
    }

    @Test
    void get_playerWithoutAdminClaim_returns403() {
        assertEquals(403, api.send(HttpEvents.get("/admin/instances/world-1").bearer(Tokens.newPlayer())).status());
    }

    @Test
    void put_invalidBodies_return400AndLeaveInstanceUnchanged() {
        String admin = Tokens.newAdmin();
        String id = newInstanceId();
        put(admin, id, "{\"capacity\":10,\"build\":\"b1\",\"state\":\"ACCEPTING\"}");

        for (String bad : new String[]{
                "{\"capacity\":0,\"build\":\"b1\",\"state\":\"ACCEPTING\"}",
                "{\"capacity\":10,\"build\":\"\",\"state\":\"ACCEPTING\"}",
                "{\"capacity\":10,\"build\":\"b1\",\"state\":\"PARTY\"}",
                "{\"capacity\":\"many\",\"build\":\"b1\",\"state\":\"ACCEPTING\"}",
                "{\"build\":\"b1\",\"state\":\"ACCEPTING\"}"}) {
            HttpResult result = put(admin, id, bad);
            assertEquals(400, result.status(), bad + " -> " + result.body());
            assertEquals(false, result.json().get("transient").asBoolean());
        }
        HttpResult read = api.send(HttpEvents.get("/admin/instances/" + id).bearer(admin));
        assertEquals(10, read.json().get("capacity").asInt());
        assertEquals("ACCEPTING", read.json().get("state").asText());
    }

    @Test
    void put_invalidInstanceId_returnsInvalidInstance() {
        HttpResult result = put(Tokens.newAdmin(), "bad.id!", "{\"capacity\":10,\"build\":\"b1\",\"state\":\"ACCEPTING\"}");

        assertEquals(400, result.status(), result.body());
        assertEquals("INVALID_INSTANCE", result.json().get("code").asText());
    }
}
