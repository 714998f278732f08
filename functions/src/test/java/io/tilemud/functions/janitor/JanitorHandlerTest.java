package io.tilemud.functions.janitor;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.tilemud.admission.AdmissionKeys;
import io.tilemud.cache.CacheConnection;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.contract.MetricNames;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.Tokens;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.User;
import io.tilemud.user.UserService;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The janitor Lambda on the HTTP function's context (as the local stack runs it). */
class JanitorHandlerTest {
    private final HttpFunction api = HttpFunction.shared();

    private record Player(String token, UUID characterId) {
    }

    private Player player() {
        String subject = "jan-" + UUID.randomUUID();
        User user = api.bean(UserService.class).ensureUser(subject);
        var created = (CreateCharacterResult.Created) api.bean(CharacterService.class)
                .create(user.id(), "Jan " + UUID.randomUUID().toString().substring(0, 8));
        api.bean(CharacterService.class).selectActive(user.id(), created.character().id());
        return new Player(Tokens.forSubject(subject), created.character().id());
    }

    private String connect(Player p, String instance) {
        return api.send(HttpEvents.request("POST", "/instances/" + instance + "/connect").bearer(p.token())
                .json("{\"characterId\":\"" + p.characterId() + "\",\"clientBuild\":\"b\"}")).json().get("outcome").asText();
    }

    @Test
    void handleRequest_capacityRaised_promotesQueueAndPublishesGauges() {
        // GIVEN a full instance of capacity 1 with two queued
        String instance = "jan-" + UUID.randomUUID().toString().substring(0, 8);
        InstanceService instances = api.bean(InstanceService.class);
        instances.upsert(instance, 1, "b", InstanceState.ACCEPTING);
        assertEquals("success", connect(player(), instance));
        assertEquals("queued", connect(player(), instance));
        assertEquals("queued", connect(player(), instance));
        // WHEN the operator raises capacity and the scheduled janitor runs
        instances.upsert(instance, 3, "b", InstanceState.ACCEPTING);
        JanitorHandler janitor = new JanitorHandler(api.context());
        janitor.handleRequest(new ScheduledEvent(), new LocalLambdaContext());
        // THEN both queued were promoted without any request arriving
        var redis = api.bean(CacheConnection.class).current().orElseThrow().sync();
        assertEquals(0, redis.zcard(AdmissionKeys.queue(instance)));
        assertEquals(3, redis.zcard(AdmissionKeys.slots(instance)));
        // AND the peak/depth gauges were published for the instance
        MeterRegistry registry = api.bean(MeterRegistry.class);
        assertNotNull(registry.find(MetricNames.QUEUE_PEAK).tag("instance", instance).gauge());
        assertEquals(2.0, registry.find(MetricNames.QUEUE_PEAK).tag("instance", instance).gauge().value());
        assertEquals(0.0, registry.find(MetricNames.QUEUE_DEPTH).tag("instance", instance).gauge().value());
    }
}
