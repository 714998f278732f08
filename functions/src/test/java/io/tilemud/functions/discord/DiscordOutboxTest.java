package io.tilemud.functions.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.UserConnections;
import io.tilemud.discord.DiscordOAuth;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import io.tilemud.realtime.ClientMessenger;
import io.tilemud.rooms.RoomService;
import io.tilemud.user.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DSC-01 and DSC-04 through the production HTTP handler on the embedded servers: with a bot token every room change
 * queues its Discord commands in its own transaction (only for linked members), the queue cap refuses new room work
 * with DISCORD_QUEUE_FULL and changes nothing, account link and unlink; without a bot token nothing is queued and
 * rooms answer as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscordOutboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, List<JsonNode>> sent = new ConcurrentHashMap<>();
    private ApplicationContext enabled;
    private ApplicationContext disabled;
    private APIGatewayV2HTTPEventFunction withDiscord;
    private APIGatewayV2HTTPEventFunction withoutDiscord;
    private ScriptedOAuth oauth;
    private DataSource db;

    private record Player(String token, UUID userId, String connectionId) {
    }

    private final class Recording implements ClientMessenger {
        @Override
        public boolean send(String connectionId, String frame) {
            try {
                sent.computeIfAbsent(connectionId, id -> new CopyOnWriteArrayList<>()).add(JSON.readTree(frame));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return true;
        }

        @Override
        public void disconnect(String connectionId) {
        }
    }

    @BeforeAll
    void start() {
        Map<String, Object> on = new HashMap<>(SharedTestInfra.get().properties());
        on.put("tilemud.discord.bot-token", "test-bot-token");
        on.put("tilemud.discord.guild-id", "100");
        on.put("tilemud.discord.outbox-max-pending", "1000");
        on.put("tilemud.test.scripted-oauth", "true");
        enabled = ApplicationContext.builder().properties(on).singletons(new Recording()).start();
        disabled = ApplicationContext.builder().properties(SharedTestInfra.get().properties()).singletons(new Recording()).start();
        withDiscord = new APIGatewayV2HTTPEventFunction(enabled);
        withoutDiscord = new APIGatewayV2HTTPEventFunction(disabled);
        oauth = enabled.getBean(ScriptedOAuth.class);
        db = DelegatingDataSource.unwrapDataSource(enabled.getBean(DataSource.class));
    }

    @AfterAll
    void stop() {
        enabled.close();
        disabled.close();
    }

    private HttpResult send(APIGatewayV2HTTPEventFunction handler, HttpEvents.Builder event) {
        return HttpResult.of(handler.handleRequest(event.build(), new LocalLambdaContext()));
    }

    private Player player(APIGatewayV2HTTPEventFunction handler, ApplicationContext context) {
        String subject = "dsc-" + UUID.randomUUID();
        String token = Tokens.forSubject(subject);
        HttpResult created = send(handler, HttpEvents.request("POST", "/characters").bearer(token)
                .json("{\"name\":\"D" + subject.substring(4, 12) + "\"}"));
        assertEquals(201, created.status(), created.body());
        assertEquals(204, send(handler, HttpEvents.request("PUT", "/me/active-character").bearer(token)
                .json("{\"characterId\":\"" + created.json().get("id").asText() + "\"}")).status());
        UUID userId = context.getBean(UserService.class).ensureUser(subject).id();
        String connectionId = "c-" + UUID.randomUUID();
        context.getBean(UserConnections.class).bound(userId, connectionId, Instant.now());
        return new Player(token, userId, connectionId);
    }

    private HttpResult link(Player p, String discordUserId) {
        String code = "code-" + UUID.randomUUID();
        oauth.codes.put(code, new DiscordOAuth.Identified(discordUserId, "Disc " + discordUserId));
        return send(withDiscord, HttpEvents.request("POST", "/me/discord").bearer(p.token()).json("{\"code\":\"" + code + "\"}"));
    }

    private static String snowflake() {
        return Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() >>> 1));
    }

    private static ConnectionRecord connection(Player p) {
        return new ConnectionRecord(p.connectionId(), "s-" + UUID.randomUUID(), p.userId().toString(),
                UUID.randomUUID().toString(), "world-1", "dev", Instant.now(), Instant.now(), null, null, null,
                Instant.now().plusSeconds(600));
    }

    private void chat(ApplicationContext context, Player p, String text) {
        context.getBean(RoomService.class).chat(connection(p), text);
    }

    private JsonNode lastFrame(Player p) {
        List<JsonNode> frames = sent.getOrDefault(p.connectionId(), List.of());
        return frames.isEmpty() ? JSON.createObjectNode() : frames.getLast();
    }

    /** kind and discordUserId (or text) of the room's commands, in queue order. */
    private List<String> commands(String roomId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT kind, payload::text FROM discord_outbox WHERE room_id = ?::uuid ORDER BY id")) {
            s.setString(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    JsonNode payload = readTree(rs.getString(2));
                    String detail = payload.has("discordUserId") ? payload.get("discordUserId").asText()
                            : payload.has("text") ? payload.get("author").asText() + ": " + payload.get("text").asText() : "";
                    rows.add(detail.isEmpty() ? rs.getString(1) : rs.getString(1) + " " + detail);
                }
            }
        }
        return rows;
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void sql(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.execute();
        }
    }

    @Test
    void roomLifecycle_discordEnabled_queuesCommandsInOrderOnlyForLinkedMembers() throws SQLException {
        // GIVEN a linked owner, a linked and an unlinked member
        Player owner = player(withDiscord, enabled);
        Player linked = player(withDiscord, enabled);
        Player unlinked = player(withDiscord, enabled);
        String ownerDiscord = snowflake();
        String memberDiscord = snowflake();
        assertEquals(200, link(owner, ownerDiscord).status());
        assertEquals(200, link(linked, memberDiscord).status());
        // WHEN the room lives its life
        JsonNode room = send(withDiscord, HttpEvents.request("POST", "/rooms").bearer(owner.token()).json("{}")).json();
        String roomId = room.get("roomId").asText();
        String invite = room.get("inviteToken").asText();
        assertEquals(200, send(withDiscord, HttpEvents.request("POST", "/rooms/join").bearer(linked.token())
                .json("{\"inviteToken\":\"" + invite + "\"}")).status());
        assertEquals(200, send(withDiscord, HttpEvents.request("POST", "/rooms/join").bearer(unlinked.token())
                .json("{\"inviteToken\":\"" + invite + "\"}")).status());
        chat(enabled, unlinked, "hello voice");
        assertEquals(204, send(withDiscord, HttpEvents.request("DELETE", "/rooms/" + roomId + "/members/me")
                .bearer(linked.token())).status());
        assertEquals(204, send(withDiscord, HttpEvents.request("DELETE", "/rooms/" + roomId + "/members/me")
                .bearer(unlinked.token())).status());
        assertEquals(204, send(withDiscord, HttpEvents.request("DELETE", "/rooms/" + roomId).bearer(owner.token())).status());
        // THEN
        List<String> queued = commands(roomId);
        assertEquals(List.of("CREATE_ROOM", "ADD_MEMBER_ROLE " + ownerDiscord, "ADD_MEMBER_ROLE " + memberDiscord),
                queued.subList(0, 3));
        assertTrue(queued.get(3).startsWith("SEND_MESSAGE D") && queued.get(3).endsWith(": hello voice"), queued.toString());
        assertEquals(List.of("REMOVE_MEMBER_ROLE " + memberDiscord, "DELETE_ROOM"), queued.subList(4, 6));
        assertEquals(6, queued.size(), queued.toString());
        assertEquals(1, count("SELECT count(*) FROM discord_rooms WHERE room_id = ?::uuid AND status = 'PENDING'", roomId));
    }

    @Test
    void link_whileInRoom_queuesRoleAndUnlinkTakesItAway() throws SQLException {
        // GIVEN an unlinked owner of a room
        Player owner = player(withDiscord, enabled);
        String roomId = send(withDiscord, HttpEvents.request("POST", "/rooms").bearer(owner.token()).json("{}"))
                .json().get("roomId").asText();
        String discordId = snowflake();
        // WHEN it links, shows and unlinks
        HttpResult linked = link(owner, discordId);
        HttpResult shown = send(withDiscord, HttpEvents.get("/me/discord").bearer(owner.token()));
        HttpResult unlinked = send(withDiscord, HttpEvents.request("DELETE", "/me/discord").bearer(owner.token()));
        HttpResult again = send(withDiscord, HttpEvents.request("DELETE", "/me/discord").bearer(owner.token()));
        // THEN
        assertEquals(200, linked.status(), linked.body());
        assertEquals(discordId, linked.json().get("discordUserId").asText());
        assertEquals("Disc " + discordId, shown.json().get("discordName").asText());
        assertEquals(204, unlinked.status());
        assertEquals(404, again.status());
        assertEquals("NOT_FOUND", again.json().get("code").asText());
        assertEquals(List.of("CREATE_ROOM", "ADD_MEMBER_ROLE " + discordId, "REMOVE_MEMBER_ROLE " + discordId), commands(roomId));
    }

    @Test
    void link_badCodeOrAccountOfAnother_returns400DiscordLinkFailedAndLinksNothing() throws SQLException {
        // GIVEN an account linked to one player
        Player first = player(withDiscord, enabled);
        Player second = player(withDiscord, enabled);
        String discordId = snowflake();
        assertEquals(200, link(first, discordId).status());
        // WHEN another player presents a bad code, then a code of the same account
        HttpResult bad = send(withDiscord, HttpEvents.request("POST", "/me/discord").bearer(second.token())
                .json("{\"code\":\"never-issued\"}"));
        HttpResult taken = link(second, discordId);
        HttpResult missing = send(withDiscord, HttpEvents.request("POST", "/me/discord").bearer(second.token()).json("{}"));
        // THEN
        assertEquals(400, bad.status(), bad.body());
        assertEquals("DISCORD_LINK_FAILED", bad.json().get("code").asText());
        assertEquals(400, taken.status(), taken.body());
        assertEquals("DISCORD_LINK_FAILED", taken.json().get("code").asText());
        assertEquals("VALIDATION_FAILED", missing.json().get("code").asText());
        assertEquals(0, count("SELECT count(*) FROM discord_links WHERE user_id = ?", second.userId()));
        assertEquals(1, count("SELECT count(*) FROM discord_links WHERE discord_user_id = ?", discordId));
    }

    @Test
    void create_queueAtCap_returns503DiscordQueueFullAndChangesNothingButLeaveStillWorks() throws SQLException {
        // GIVEN a linked member in a room, then the queue filled to its cap
        Player owner = player(withDiscord, enabled);
        Player member = player(withDiscord, enabled);
        Player newcomer = player(withDiscord, enabled);
        String memberDiscord = snowflake();
        assertEquals(200, link(member, memberDiscord).status());
        JsonNode room = send(withDiscord, HttpEvents.request("POST", "/rooms").bearer(owner.token()).json("{}")).json();
        String roomId = room.get("roomId").asText();
        assertEquals(200, send(withDiscord, HttpEvents.request("POST", "/rooms/join").bearer(member.token())
                .json("{\"inviteToken\":\"" + room.get("inviteToken").asText() + "\"}")).status());
        long pending = count("SELECT count(*) FROM discord_outbox WHERE status = 'PENDING'");
        sql("""
                INSERT INTO discord_outbox (room_id, kind, payload, created_at, status)
                SELECT ?::uuid, 'TYPING', '{}'::jsonb, now(), 'PENDING' FROM generate_series(1, ?)""",
                roomId, (int) Math.max(0, 1000 - pending));
        long roomsBefore = count("SELECT count(*) FROM rooms");
        List<String> before = commands(roomId);
        try {
            // WHEN new work arrives
            HttpResult created = send(withDiscord, HttpEvents.request("POST", "/rooms").bearer(newcomer.token()).json("{}"));
            HttpResult joined = send(withDiscord, HttpEvents.request("POST", "/rooms/join").bearer(newcomer.token())
                    .json("{\"inviteToken\":\"" + room.get("inviteToken").asText() + "\"}"));
            long lastSeq = count("SELECT last_seq FROM rooms WHERE id = ?::uuid", roomId);
            chat(enabled, owner, "too much");
            chat(enabled, newcomer, "in no room");
            // THEN it is refused, nothing changed, and the refusal of the chat is a structured frame
            assertEquals(503, created.status(), created.body());
            assertEquals("DISCORD_QUEUE_FULL", created.json().get("code").asText());
            assertTrue(created.json().get("transient").asBoolean());
            assertEquals(503, joined.status(), joined.body());
            assertEquals("DISCORD_QUEUE_FULL", joined.json().get("code").asText());
            JsonNode refusal = sent.get(owner.connectionId()).getLast();
            assertEquals("event.error", refusal.get("type").asText());
            assertEquals("DISCORD_QUEUE_FULL", refusal.get("code").asText());
            assertEquals(lastSeq, count("SELECT last_seq FROM rooms WHERE id = ?::uuid", roomId));
            // AND not being in a room comes first, as before the queue was asked
            assertEquals("NOT_FOUND", lastFrame(newcomer).get("code").asText(), lastFrame(newcomer).toString());
            assertEquals(roomsBefore, count("SELECT count(*) FROM rooms"));
            assertEquals(0, count("SELECT count(*) FROM room_members WHERE user_id = ?", newcomer.userId()));
            assertEquals(before, commands(roomId));
            assertEquals(0, count("SELECT count(*) FROM room_events WHERE room_id = ?::uuid AND type = 'chat.message'", roomId));
            // AND leaving is never refused: its cleanup is queued past the cap
            assertEquals(204, send(withDiscord, HttpEvents.request("DELETE", "/rooms/" + roomId + "/members/me")
                    .bearer(member.token())).status());
            assertEquals("REMOVE_MEMBER_ROLE " + memberDiscord, commands(roomId).getLast());
        } finally {
            // other tests of this JVM share the database: drain what this one queued
            sql("UPDATE discord_outbox SET status = 'DONE' WHERE room_id = ?::uuid AND kind = 'TYPING'", roomId);
        }
    }

    @Test
    void reactAndTyping_perUserAndPerChannelBuckets_queueOrRefuseStructured() throws SQLException {
        // GIVEN two members of a room (2 reactions per second per user and per channel)
        RoomService rooms = enabled.getBean(RoomService.class);
        Player owner = player(withDiscord, enabled);
        Player member = player(withDiscord, enabled);
        JsonNode room = send(withDiscord, HttpEvents.request("POST", "/rooms").bearer(owner.token()).json("{}")).json();
        String roomId = room.get("roomId").asText();
        assertEquals(200, send(withDiscord, HttpEvents.request("POST", "/rooms/join").bearer(member.token())
                .json("{\"inviteToken\":\"" + room.get("inviteToken").asText() + "\"}")).status());
        int ownerFrames = sent.getOrDefault(owner.connectionId(), List.of()).size();
        // WHEN the owner reacts twice and types, then reacts a third time, and the member reacts once
        rooms.react(connection(owner), "1300000000000000042", "👍");
        rooms.react(connection(owner), "1300000000000000042", "🎉");
        rooms.typing(connection(owner));
        assertEquals(ownerFrames, sent.get(owner.connectionId()).size(), "queued: no answer");
        rooms.react(connection(owner), "1300000000000000042", "😀");
        JsonNode userLimit = lastFrame(owner);
        rooms.react(connection(member), "1300000000000000042", "😀");
        JsonNode channelLimit = lastFrame(member);
        // THEN two reactions and one typing are queued, the rest refused with RATE_LIMITED (per user, then per channel)
        assertEquals(List.of("CREATE_ROOM", "ADD_REACTION", "ADD_REACTION", "TYPING"), commands(roomId));
        assertEquals("RATE_LIMITED", userLimit.get("code").asText());
        assertEquals("RATE_LIMITED", channelLimit.get("code").asText());
        assertTrue(channelLimit.get("message").asText().contains("channel"), channelLimit.toString());
    }

    @Test
    void reactAndTyping_notInRoomOrNoDiscord_refusedNotFound() throws SQLException {
        Player loner = player(withDiscord, enabled);
        Player plain = player(withoutDiscord, disabled);
        long queued = count("SELECT count(*) FROM discord_outbox");

        enabled.getBean(RoomService.class).typing(connection(loner));
        JsonNode noRoom = lastFrame(loner);
        disabled.getBean(RoomService.class).react(connection(plain), "1", "👍");
        JsonNode noDiscord = lastFrame(plain);

        assertEquals("NOT_FOUND", noRoom.get("code").asText());
        assertEquals("NOT_FOUND", noDiscord.get("code").asText());
        assertTrue(noDiscord.get("message").asText().contains("not enabled"));
        assertEquals(queued, count("SELECT count(*) FROM discord_outbox"), "nothing queued");
    }

    @Test
    void rooms_noBotToken_queueNothingAndLinkRoutesAnswerNotFound() throws SQLException {
        // GIVEN the game without Discord (DSC-04)
        Player owner = player(withoutDiscord, disabled);
        Player member = player(withoutDiscord, disabled);
        // WHEN a room lives its life
        HttpResult created = send(withoutDiscord, HttpEvents.request("POST", "/rooms").bearer(owner.token()).json("{}"));
        String roomId = created.json().get("roomId").asText();
        HttpResult joined = send(withoutDiscord, HttpEvents.request("POST", "/rooms/join").bearer(member.token())
                .json("{\"inviteToken\":\"" + created.json().get("inviteToken").asText() + "\"}"));
        chat(disabled, member, "no discord here");
        HttpResult closed = send(withoutDiscord, HttpEvents.request("DELETE", "/rooms/" + roomId).bearer(owner.token()));
        HttpResult link = send(withoutDiscord, HttpEvents.request("POST", "/me/discord").bearer(owner.token())
                .json("{\"code\":\"x\"}"));
        // THEN rooms answer as before and nothing Discord was written
        assertEquals(201, created.status());
        assertTrue(!created.json().has("voiceLink") || created.json().get("voiceLink").isNull());
        assertEquals(200, joined.status());
        assertEquals(204, closed.status());
        assertEquals(1, count("SELECT count(*) FROM room_events WHERE room_id = ?::uuid AND type = 'chat.message'", roomId));
        assertEquals(List.of(), commands(roomId));
        assertEquals(0, count("SELECT count(*) FROM discord_rooms WHERE room_id = ?::uuid", roomId));
        assertEquals(404, link.status());
        assertEquals("NOT_FOUND", link.json().get("code").asText());
        assertTrue(disabled.findBean(io.tilemud.discord.JdbcDiscordOutbox.class).isEmpty());
    }
}
