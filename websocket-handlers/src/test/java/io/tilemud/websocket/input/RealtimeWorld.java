package io.tilemud.websocket.input;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.tilemud.admission.AdmissionRequest;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.AdmissionService;
import io.tilemud.character.CharacterRepository;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.UserService;
import io.tilemud.websocket.connect.ConnectHandler;
import io.tilemud.websocket.realtime.IntentHandler;
import io.tilemud.websocket.support.RecordingMessenger;
import io.tilemud.websocket.support.WebSocketEvents;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The WebSocket handlers on the embedded servers, for the strict-input tests and the frame fuzzer: one context per
 * JVM (its start is the expensive part), players admitted and connected through the real handlers, and what the
 * durable state says (position, last seq, action-log rows) to prove a refused frame changed nothing.
 */
final class RealtimeWorld {
    private static volatile RealtimeWorld shared;

    final ApplicationContext context;
    final RecordingMessenger messenger = new RecordingMessenger();
    final ConnectHandler connect;
    final IntentHandler intents;
    final String instance;

    record Player(String subject, UUID characterId, String sessionId, String connectionId) {
    }

    /** Where the durable state of a player stands. */
    record Durable(int x, int y, long lastSeq, long actionRows) {
    }

    private RealtimeWorld() {
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        // The fuzzer sends thousands of frames a second; the per-session rate limits (RT-11) are tested elsewhere.
        properties.put("tilemud.realtime.moves-per-second", 1_000_000);
        properties.put("tilemud.realtime.chats-per-second", 1_000_000);
        properties.put("tilemud.realtime.actions-per-second", 1_000_000);
        context = ApplicationContext.builder().properties(properties).singletons(messenger).start();
        connect = new ConnectHandler(context);
        intents = new IntentHandler(context);
        instance = "strict-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBean(InstanceService.class).upsert(instance, 1000, "dev", InstanceState.ACCEPTING);
    }

    static synchronized RealtimeWorld shared() {
        if (shared == null) {
            shared = new RealtimeWorld();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.context::close));
        }
        return shared;
    }

    /** A player admitted to the instance and connected over the real {@code $connect} handler. */
    Player connectedPlayer(String name) {
        String subject = "strict-" + UUID.randomUUID();
        UUID userId = context.getBean(UserService.class).ensureUser(subject).id();
        var created = (CreateCharacterResult.Created) context.getBean(CharacterService.class).create(userId, name);
        context.getBean(CharacterService.class).selectActive(userId, created.character().id());
        var admitted = (AdmissionResult.Admitted) context.getBean(AdmissionService.class).admit(new AdmissionRequest(
                subject, instance, created.character().id().toString(), "dev", null, null));
        String connectionId = UUID.randomUUID().toString();
        APIGatewayV2WebSocketResponse response = connect.handleRequest(
                WebSocketEvents.connect(connectionId, subject, Map.of("sessionId", admitted.sessionId())),
                new LocalLambdaContext());
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("connect refused: " + response.getBody());
        }
        return new Player(subject, created.character().id(), admitted.sessionId(), connectionId);
    }

    /** One frame through the intent handler; the reply the client gets. */
    JsonNode send(Player player, String routeKey, String body) {
        intents.handleRequest(WebSocketEvents.message(player.connectionId(), routeKey, body), new LocalLambdaContext());
        return messenger.nextReply(player.connectionId());
    }

    Durable durable(Player player) {
        var character = context.getBean(CharacterRepository.class).findById(player.characterId()).orElseThrow();
        // The raw pool: the bean is a connection-bound proxy that needs a surrounding transaction.
        try (Connection c = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class)).getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT coalesce(max(seq), 0), count(*) FROM action_events WHERE session_id = ?")) {
            select.setString(1, player.sessionId());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new Durable(character.x(), character.y(), rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
