package io.tilemud.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.embedded.Ports;
import io.tilemud.localstack.Players.Player;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DSC-01..04 end to end through the local stack started as {@code run.sh --fake-discord} would: real HTTP and
 * WebSockets into the game, the relay in-process, the fake Discord read back through its real REST endpoints. Create
 * a room → a private voice channel with user_limit 4 → a member joins voice in the fake → voice.joined in the game →
 * chat both ways → the room closed → its channel and role deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscordEndToEndTest {
    private LocalStack stack;
    private int http;
    private String discord;

    @BeforeAll
    void start() {
        stack = LocalStack.start(new LocalStackOptions(Ports.free(), Ports.free(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 5, Optional.of(Ports.free())));
        http = stack.httpPort();
        discord = stack.discord().orElseThrow().fake().baseUrl().toString();
    }

    /** The relay's gateway session is up once the fake gateway has a session: dispatches need one. */
    private void awaitGatewaySession() throws InterruptedException {
        eventually(() -> stack.discord().orElseThrow().gateway().sessionId(), Optional::isPresent, "the gateway session");
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    private HttpResponse<String> game(String method, Player p, String path, String body) {
        return Http.send(Http.to(http, path).header("Authorization", "Bearer " + p.token())
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode fake(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(discord + path))
                .header("Authorization", "Bot " + LocalDiscord.BOT_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = Http.send(request);
        // The test polls through the fake's real rate limits too: a 429 is waited out, never read as state.
        for (int i = 0; response.statusCode() == 429 && i < 20; i++) {
            try {
                Thread.sleep((long) (Http.json(response.body()).get("retry_after").asDouble() * 1000) + 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            response = Http.send(request);
        }
        assertTrue(response.statusCode() < 300, response.statusCode() + " " + response.body());
        return response.body().isEmpty() ? Http.json("{}") : Http.json(response.body());
    }

    private static <T> T eventually(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last: " + value);
            }
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }

    private static JsonNode next(TextWebSocket ws, Predicate<JsonNode> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String frame = ws.messages.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && match.test(Http.json(frame))) {
                return Http.json(frame);
            }
        }
        throw new AssertionError("no " + what);
    }

    private String link(Player p, String discordUserId, String name) {
        String code = fake("POST", "/dev/discord/authorize",
                "{\"discordUserId\":\"" + discordUserId + "\",\"username\":\"" + name + "\"}").get("code").asText();
        HttpResponse<String> linked = game("POST", p, "/me/discord", "{\"code\":\"" + code + "\"}");
        assertEquals(200, linked.statusCode(), linked.body());
        return discordUserId;
    }

    private Optional<JsonNode> channel(String guild, String name) {
        for (JsonNode c : fake("GET", "/api/v10/guilds/" + guild + "/channels", null)) {
            if (c.get("name").asText().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Test
    void room_withFakeDiscord_voiceChannelVoiceEventsChatBothWaysAndCleanup() throws Exception {
        // GIVEN two admitted players on the game socket with linked Discord accounts
        String run = UUID.randomUUID().toString().substring(0, 4);
        Player owner = Players.admitted(http, "Voice" + run);
        Player member = Players.admitted(http, "Ear" + run);
        TextWebSocket ownerSocket = TextWebSocket.open(URI.create("ws://127.0.0.1:" + stack.wsPort() + "/local?sessionId="
                + owner.sessionId() + "&token=" + owner.token()));
        TextWebSocket memberSocket = TextWebSocket.open(URI.create("ws://127.0.0.1:" + stack.wsPort() + "/local?sessionId="
                + member.sessionId() + "&token=" + member.token()));
        String ownerDiscord = link(owner, "4100" + System.nanoTime() % 1_000_000, "owner_" + run);
        String memberDiscord = link(member, "4200" + System.nanoTime() % 1_000_000, "member_" + run);
        String guild = fake("GET", "/api/v10/users/@me/guilds", null).get(0).get("id").asText();

        // WHEN the owner creates a room and the member joins
        HttpResponse<String> created = game("POST", owner, "/rooms", "{}");
        assertEquals(201, created.statusCode(), created.body());
        String roomId = Http.json(created).get("roomId").asText();
        assertEquals(200, game("POST", member, "/rooms/join",
                "{\"inviteToken\":\"" + Http.json(created).get("inviteToken").asText() + "\"}").statusCode());
        // THEN a private voice channel of four exists, both members have its role, and the game shows the link
        String channelName = "room-" + roomId.substring(0, 8);
        JsonNode channel = eventually(() -> channel(guild, channelName), Optional::isPresent, "the voice channel").get();
        assertEquals(2, channel.get("type").asInt());
        assertEquals(4, channel.get("user_limit").asInt());
        assertEquals(guild, channel.get("permission_overwrites").get(0).get("id").asText());
        assertEquals("1049600", channel.get("permission_overwrites").get(0).get("deny").asText());
        String roleId = channel.get("permission_overwrites").get(1).get("id").asText();
        for (String linked : new String[]{ownerDiscord, memberDiscord}) {
            eventually(() -> fake("GET", "/api/v10/guilds/" + guild + "/members/" + linked, null),
                    m -> m.get("roles").toString().contains(roleId), "the role of " + linked);
        }
        JsonNode ready = next(ownerSocket, f -> f.path("type").asText().equals("voice.status"), "voice.status");
        assertEquals("READY", ready.get("status").asText());
        JsonNode shown = Http.json(game("GET", owner, "/rooms/" + roomId, ""));
        assertEquals(ready.get("voiceLink").asText(), shown.get("voiceLink").asText());
        String channelId = channel.get("id").asText();

        // WHEN the member joins voice in Discord (over the relay's gateway session)
        awaitGatewaySession();
        fake("POST", "/dev/discord/voice", "{\"discordUserId\":\"" + memberDiscord + "\",\"channelId\":\"" + channelId + "\"}");
        // THEN the owner's game sees voice.joined
        JsonNode joined = next(ownerSocket, f -> f.path("type").asText().equals("voice.joined"), "voice.joined");
        assertEquals("member_" + run, joined.get("discordName").asText());
        assertEquals(roomId, joined.get("roomId").asText());

        // WHEN the member writes in Discord and the owner in the game
        fake("POST", "/dev/discord/message", "{\"discordUserId\":\"" + memberDiscord + "\",\"channelId\":\"" + channelId
                + "\",\"content\":\"hello from discord\"}");
        JsonNode fromDiscord = next(ownerSocket, f -> f.path("type").asText().equals("chat.message")
                && f.path("via").asText().equals("discord"), "the Discord line");
        ownerSocket.send("{\"type\":\"room.chat\",\"text\":\"hello from the game\"}");
        // THEN each side sees the other's line
        assertEquals("hello from discord", fromDiscord.get("text").asText());
        assertEquals("member_" + run, fromDiscord.get("name").asText());
        JsonNode messages = eventually(() -> fake("GET", "/api/v10/channels/" + channelId + "/messages", null),
                m -> m.toString().contains("hello from the game"), "the game line in Discord");
        assertTrue(messages.toString().contains("**Voice" + run + "**: hello from the game"), messages.toString());
        next(memberSocket, f -> f.path("text").asText().equals("hello from the game"), "the game line in the game");

        // WHEN the owner closes the room
        assertEquals(204, game("DELETE", owner, "/rooms/" + roomId, "").statusCode());
        // THEN the channel and the role are deleted in Discord
        eventually(() -> channel(guild, channelName), Optional::isEmpty, "the channel deleted");
        eventually(() -> fake("GET", "/api/v10/guilds/" + guild + "/roles", null), r -> !r.toString().contains(roleId),
                "the role deleted");
        ownerSocket.close();
        memberSocket.close();
    }
}
