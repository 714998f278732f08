package io.tilemud.functions.admission;

import io.lettuce.core.api.sync.RedisCommands;
import io.tilemud.admission.AdmissionKeys;
import io.tilemud.cache.CacheConnection;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.User;
import io.tilemud.user.UserService;

import java.util.UUID;

/** Fresh players and instances per test (the embedded servers are shared by the whole JVM), and raw state reads. */
final class AdmissionFixtures {
    static final String BUILD = "build-1";

    private final HttpFunction api;

    AdmissionFixtures(HttpFunction api) {
        this.api = api;
    }

    record Player(String subject, String token, UUID userId, UUID characterId) {
    }

    Player player() {
        String subject = "adm-" + UUID.randomUUID();
        User user = api.bean(UserService.class).ensureUser(subject);
        var created = (CreateCharacterResult.Created) api.bean(CharacterService.class)
                .create(user.id(), "Hero " + UUID.randomUUID().toString().substring(0, 8));
        api.bean(CharacterService.class).selectActive(user.id(), created.character().id());
        return new Player(subject, Tokens.forSubject(subject), user.id(), created.character().id());
    }

    String instance(int capacity, InstanceState state) {
        return instance("t-", capacity, state);
    }

    String instance(String prefix, int capacity, InstanceState state) {
        String id = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        api.bean(InstanceService.class).upsert(id, capacity, BUILD, state);
        return id;
    }

    void setState(String instanceId, int capacity, InstanceState state) {
        api.bean(InstanceService.class).upsert(instanceId, capacity, BUILD, state);
    }

    HttpResult connect(Player p, String instanceId) {
        return connect(p, instanceId, p.characterId().toString(), BUILD, null, null);
    }

    HttpResult connect(Player p, String instanceId, String characterId, String build, String reconnectionToken,
                       String replaceToken) {
        StringBuilder body = new StringBuilder("{");
        if (characterId != null) {
            body.append("\"characterId\":\"").append(characterId).append("\"");
        }
        if (build != null) {
            body.append(body.length() > 1 ? "," : "").append("\"clientBuild\":\"").append(build).append("\"");
        }
        if (reconnectionToken != null) {
            body.append(body.length() > 1 ? "," : "").append("\"reconnectionToken\":\"").append(reconnectionToken).append("\"");
        }
        body.append("}");
        String path = "/instances/" + instanceId + "/connect" + (replaceToken == null ? "" : "?replaceToken=" + replaceToken);
        return api.send(HttpEvents.request("POST", path).bearer(p.token()).json(body.toString()));
    }

    HttpResult status(Player p, String instanceId) {
        return api.send(HttpEvents.get("/instances/" + instanceId + "/queue/status?characterId=" + p.characterId())
                .bearer(p.token()));
    }

    HttpResult leave(Player p, String sessionId) {
        return api.send(HttpEvents.request("DELETE", "/sessions/" + sessionId).bearer(p.token()));
    }

    RedisCommands<String, String> redis() {
        return api.bean(CacheConnection.class).current().orElseThrow().sync();
    }

    long slots(String instanceId) {
        return redis().zcard(AdmissionKeys.slots(instanceId));
    }

    long depth(String instanceId) {
        return redis().zcard(AdmissionKeys.queue(instanceId));
    }

    /** Admission state of one instance and one player, to assert a refused attempt changed nothing. */
    record Snapshot(long slots, long queue, long sessions, long replaceOffers, boolean locked, long failures) {
    }

    Snapshot snapshot(String instanceId, Player p) {
        RedisCommands<String, String> r = redis();
        return new Snapshot(r.zcard(AdmissionKeys.slots(instanceId)), r.zcard(AdmissionKeys.queue(instanceId)),
                r.hlen(AdmissionKeys.sessions(instanceId)), r.hlen(AdmissionKeys.replace(instanceId)),
                r.hexists(AdmissionKeys.CHARACTER_LOCKS, p.characterId().toString()),
                r.zcard(AdmissionKeys.rateLimitFailures(p.subject())));
    }
}
