package io.tilemud.websocket.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionRequest;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.AdmissionService;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.UserService;
import io.tilemud.websocket.connect.ConnectHandler;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The game world a handler test needs, made through the real services: instances, players with an active character,
 * admissions, and sockets connected through the real {@code $connect} handler. Names are unique per call, so tests
 * sharing one database never collide.
 */
public final class GameFixture {
    private final ApplicationContext context;

    public record Player(String subject, UUID userId, UUID characterId) {
    }

    /** An admitted player's session and the socket it plays on. */
    public record Playing(String sessionId, String connectionId) {
    }

    /** A capacity-2 instance that is full: {@code a} and {@code b} playing, {@code c} first in its queue. */
    public record FullInstance(String instanceId, Player a, Player b, Player c, Playing aPlays) {
    }

    public GameFixture(ApplicationContext context) {
        this.context = context;
    }

    public String instance(int capacity) {
        String id = "gf-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBean(InstanceService.class).upsert(id, capacity, "dev", InstanceState.ACCEPTING);
        return id;
    }

    public Player player(String name) {
        String subject = "gf-" + UUID.randomUUID();
        UUID userId = context.getBean(UserService.class).ensureUser(subject).id();
        var created = (CreateCharacterResult.Created) context.getBean(CharacterService.class).create(userId,
                name + " " + UUID.randomUUID().toString().substring(0, 6));
        context.getBean(CharacterService.class).selectActive(userId, created.character().id());
        return new Player(subject, userId, created.character().id());
    }

    public AdmissionResult admit(Player p, String instanceId) {
        return admit(p, instanceId, null);
    }

    public AdmissionResult admit(Player p, String instanceId, String replaceToken) {
        return context.getBean(AdmissionService.class).admit(new AdmissionRequest(p.subject(), instanceId,
                p.characterId().toString(), "dev", null, replaceToken));
    }

    /** HTTP status of a {@code $connect} with these query parameters, through the real handler. */
    public int connect(Player p, String connectionId, Map<String, String> query) {
        APIGatewayV2WebSocketResponse response = new ConnectHandler(context).handleRequest(
                WebSocketEvents.connect(connectionId, p.subject(), query), new LocalLambdaContext());
        return response.getStatusCode();
    }

    public FullInstance fullInstanceWithOneQueued() {
        String world = instance(2);
        Player a = player("A");
        Player b = player("B");
        Player c = player("C");
        Playing aPlays = playing(a, world);
        playing(b, world);
        assertInstanceOf(AdmissionResult.Queued.class, admit(c, world));
        return new FullInstance(world, a, b, c, aPlays);
    }

    /** Admitted and connected over the WebSocket handlers. */
    public Playing playing(Player p, String instanceId) {
        var admitted = assertInstanceOf(AdmissionResult.Admitted.class, admit(p, instanceId));
        String connectionId = UUID.randomUUID().toString();
        assertEquals(200, connect(p, connectionId, Map.of("sessionId", admitted.sessionId())));
        return new Playing(admitted.sessionId(), connectionId);
    }
}
