package io.tilemud.discord.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.UserConnections;
import io.tilemud.discord.DiscordAccounts;
import io.tilemud.discord.JdbcDiscordLinks;
import io.tilemud.discord.fake.FakeDiscord;
import io.tilemud.discord.gateway.GatewayState;
import io.tilemud.discord.gateway.fake.FakeGateway;
import io.tilemud.discord.rest.DiscordRestClient;
import io.tilemud.discord.rest.RestOutcome;
import io.tilemud.discord.rest.Sleeper;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.realtime.ClientMessenger;
import io.tilemud.rooms.RoomOutcome;
import io.tilemud.rooms.RoomService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay against the fake Discord on the embedded servers (DSC-01..04): outbox → Discord in room order, voice and
 * messages from the gateway → room events at the members' sockets, the retry budget ending in {@code voice.status
 * UNAVAILABLE}, at-least-once without duplicates, the leader lock, and no relay without a bot token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscordRelayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "relay-test-bot";
    private static final String GUILD = "900000000000000042";
    private final Map<String, List<JsonNode>> sent = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> receivedAtNanos = new ConcurrentHashMap<>();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeDiscord fake;
    private FakeGateway fakeGateway;
    private RelayGateway gateway;
    private ApplicationContext context;
    private DiscordRelay relay;
    private RoomService rooms;
    private DataSource db;

    private record Player(UUID userId, UUID characterId, String name, String connectionId, String discordUserId) {
    }

    @BeforeAll
    void start() throws Exception {
        fake = FakeDiscord.start("127.0.0.1", 0, TOKEN, GUILD, Clock.systemUTC());
        fake.bucketLimit(10_000, Duration.ofSeconds(1));
        fakeGateway = FakeGateway.start("127.0.0.1", 0);
        fake.onDispatch(fakeGateway::dispatch);
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        properties.put("tilemud.discord.bot-token", TOKEN);
        properties.put("tilemud.discord.guild-id", GUILD);
        properties.put("tilemud.discord.api-base-url", fake.apiBaseUrl().toString());
        properties.put("tilemud.discord.client-id", "client-1");
        properties.put("tilemud.discord.client-secret", "secret-1");
        properties.put("tilemud.discord.redirect-uri", "http://127.0.0.1/play/");
        properties.put("tilemud.discord.gateway-url", fakeGateway.url().toString());
        // the gateway's reconnect schedule scaled from 1-2-4-8-16 s to 10-20-40-80-160 ms
        properties.put("tilemud.discord.relay.gateway-reconnect-base-millis", "10");
        ClientMessenger messenger = new ClientMessenger() {
            @Override
            public boolean send(String connectionId, String frame) {
                receivedAtNanos.computeIfAbsent(connectionId, c -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
                try {
                    sent.computeIfAbsent(connectionId, c -> new CopyOnWriteArrayList<>()).add(JSON.readTree(frame));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return true;
            }

            @Override
            public void disconnect(String connectionId) {
            }
        };
        // Retries are measured, not slept (the REST tests measure the schedule on a clock; here it is the count).
        Sleeper recording = waits::add;
        context = ApplicationContext.builder().properties(properties).singletons(messenger, recording).start();
        relay = context.getBean(DiscordRelay.class);
        rooms = context.getBean(RoomService.class);
        db = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
        // the relay's real gateway session against the fake gateway: dispatches travel over a WebSocket
        gateway = context.getBean(RelayGateway.class);
        gateway.start();
        await(() -> gateway.state() == GatewayState.READY, "gateway READY");
        // drain what earlier classes of this JVM may have queued
        sql("UPDATE discord_outbox SET status = 'DONE' WHERE status = 'PENDING'");
    }

    @AfterAll
    void stop() {
        context.close();
        fakeGateway.close();
        fake.close();
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    private int count(Player p) {
        return sent.getOrDefault(p.connectionId(), List.of()).size();
    }

    @BeforeEach
    void clean() {
        fake.faults().clear();
        waits.clear();
    }

    private Player player(boolean linked) throws SQLException {
        UUID userId = UUID.randomUUID();
        UUID characterId = UUID.randomUUID();
        String name = "R" + userId.toString().substring(0, 8);
        sql("INSERT INTO users (id, subject) VALUES (?, ?)", userId, "relay-" + userId);
        sql("INSERT INTO characters (id, user_id, name) VALUES (?, ?, ?)", characterId, userId, name);
        String connectionId = "c-" + UUID.randomUUID();
        context.getBean(UserConnections.class).bound(userId, connectionId, Instant.now());
        String discordUserId = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() >>> 2));
        if (linked) {
            // the real OAuth2 exchange against the fake: code → /oauth2/token → /users/@me
            String code = fake.authorize(discordUserId, "disc_" + name);
            assertInstanceOf(DiscordAccounts.Linked.class, context.getBean(DiscordAccounts.class).link(userId, code));
        }
        return new Player(userId, characterId, name, connectionId, discordUserId);
    }

    private UUID create(Player owner) {
        return assertInstanceOf(RoomOutcome.Shown.class, rooms.create(owner.userId(), owner.characterId())).room().id();
    }

    private void chat(Player p, String text) {
        rooms.chat(new ConnectionRecord(p.connectionId(), "s-" + UUID.randomUUID(), p.userId().toString(),
                p.characterId().toString(), "world-1", "dev", Instant.now(), Instant.now(), null, null, null,
                Instant.now().plusSeconds(600)), text);
    }

    private void drainAll() throws InterruptedException {
        for (int i = 0; i < 20 && relay.drainOnce() > 0; i++) {
            // until the queue is empty
        }
    }

    private List<JsonNode> frames(Player p, String type) {
        return sent.getOrDefault(p.connectionId(), List.of()).stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fake.apiBaseUrl() + path))
                .header("Authorization", "Bot " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private Optional<JsonNode> channelOf(UUID roomId) throws Exception {
        for (JsonNode c : get("/guilds/" + GUILD + "/channels")) {
            if (c.get("name").asText().equals(CommandExecutor.channelName(roomId))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private long rolesNamed(String name) throws Exception {
        long n = 0;
        for (JsonNode r : get("/guilds/" + GUILD + "/roles")) {
            n += r.get("name").asText().equals(name) ? 1 : 0;
        }
        return n;
    }

    private List<String> statuses(UUID roomId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT kind || ' ' || status FROM discord_outbox WHERE room_id = ? ORDER BY id")) {
            s.setObject(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    private String one(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
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
    void roomLifecycle_linkedMembers_channelVoiceAndChatBothWaysThenDeleted() throws Exception {
        // GIVEN two linked players and an unlinked one in a room
        Player owner = player(true);
        Player member = player(true);
        Player stranger = player(false);
        UUID roomId = create(owner);
        String invite = ((RoomOutcome.Shown) rooms.invite(roomId, owner.userId())).invite().token();
        assertInstanceOf(RoomOutcome.Shown.class, rooms.join(member.userId(), member.characterId(), invite));
        assertInstanceOf(RoomOutcome.Shown.class, rooms.join(stranger.userId(), stranger.characterId(), invite));
        // WHEN the relay drains
        drainAll();
        // THEN the private voice channel exists with its role, and only linked members have the role
        JsonNode channel = channelOf(roomId).orElseThrow();
        String channelId = channel.get("id").asText();
        assertEquals(2, channel.get("type").asInt());
        assertEquals(4, channel.get("user_limit").asInt());
        String roleId = one("SELECT role_id FROM discord_rooms WHERE room_id = ?", roomId);
        assertEquals(roleId, channel.get("permission_overwrites").get(1).get("id").asText());
        assertEquals(roleId, get("/guilds/" + GUILD + "/members/" + owner.discordUserId()).get("roles").get(0).asText());
        assertEquals(roleId, get("/guilds/" + GUILD + "/members/" + member.discordUserId()).get("roles").get(0).asText());
        assertEquals(0, get("/guilds/" + GUILD + "/members/" + stranger.discordUserId()).get("roles").size());
        JsonNode ready = frames(owner, "voice.status").getFirst();
        assertEquals("READY", ready.get("status").asText());
        assertEquals("https://discord.com/channels/" + GUILD + "/" + channelId, ready.get("voiceLink").asText());
        assertEquals(ready.get("voiceLink").asText(), rooms.voiceLinkOf(roomId).orElseThrow());

        // WHEN the member joins voice in Discord, writes there, and the owner writes in the game
        fake.voice(member.discordUserId(), channelId);
        fake.message(member.discordUserId(), channelId, "hi from discord \u0007<b>bold</b>\u202e" + "x".repeat(300));
        for (Player p : List.of(owner, member, stranger)) {
            await(() -> frames(p, "chat.message").size() == 1, "the Discord line at " + p.name());
        }
        chat(owner, "hi from the game @everyone");
        drainAll();
        fake.voice(member.discordUserId(), null);
        for (Player p : List.of(owner, member, stranger)) {
            await(() -> frames(p, "voice.left").size() == 1, "voice.left at " + p.name());
        }
        // THEN every member's game socket sees voice.joined, the Discord line and voice.left, in roomSeq order
        for (Player p : List.of(owner, member, stranger)) {
            JsonNode joined = frames(p, "voice.joined").getFirst();
            assertEquals(member.userId().toString(), joined.get("userId").asText());
            assertEquals("disc_" + member.name(), joined.get("discordName").asText());
            assertEquals(member.userId().toString(), frames(p, "voice.left").getFirst().get("userId").asText());
        }
        JsonNode line = frames(stranger, "chat.message").stream().filter(f -> f.path("via").asText().equals("discord"))
                .findFirst().orElseThrow();
        assertEquals("disc_" + member.name(), line.get("name").asText());
        assertEquals(256, line.get("text").asText().length(), "cut to 256 characters");
        assertTrue(line.get("text").asText().startsWith("hi from discord <b>bold</b>x"), "control and format characters removed");
        assertFalse(line.get("text").asText().contains("\u0007"));
        JsonNode game = get("/channels/" + channelId + "/messages");
        assertTrue(stream(game).anyMatch(m -> m.get("content").asText().equals("**" + owner.name() + "**: hi from the game @everyone")),
                game.toString());
        assertEquals(1, frames(owner, "chat.message").stream().filter(f -> f.path("via").asText().equals("discord")).count(),
                "our own line echoed by the gateway is not shown twice");

        // WHEN the owner closes the room
        assertInstanceOf(RoomOutcome.Gone.class, rooms.close(roomId, owner.userId()));
        drainAll();
        // THEN channel and role are gone from Discord
        assertTrue(channelOf(roomId).isEmpty());
        assertEquals(0, rolesNamed(CommandExecutor.roleName(roomId)));
        assertEquals("DELETED", one("SELECT status FROM discord_rooms WHERE room_id = ?", roomId));
        assertTrue(statuses(roomId).stream().allMatch(s -> s.endsWith(" DONE")), statuses(roomId).toString());
        assertEquals(List.of(), waits);
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    @Test
    void createRoom_discordDownForTheWholeBudget_failsOnceTellsTheRoomUnavailableNeverRetries() throws Exception {
        // GIVEN Discord answers 500 to every role request (more faults than the budget)
        fake.faults().serverErrors("/roles", 500, 10);
        Player owner = player(true);
        UUID roomId = create(owner);
        // WHEN the relay drains twice
        drainAll();
        drainAll();
        // THEN six attempts with the 1-2-4-8-16 s schedule, then FAILED; the member's role command fails without a call
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L), waits.stream().map(Duration::toMillis).toList());
        assertEquals(4, fake.faults().pending(), "no seventh attempt, and no retry on the second drain");
        assertEquals(List.of("CREATE_ROOM FAILED", "ADD_MEMBER_ROLE FAILED"), statuses(roomId));
        assertEquals("UNAVAILABLE", one("SELECT status FROM discord_rooms WHERE room_id = ?", roomId));
        List<JsonNode> told = frames(owner, "voice.status");
        assertEquals(1, told.size(), "told once");
        assertEquals("UNAVAILABLE", told.getFirst().get("status").asText());
        assertTrue(rooms.voiceLinkOf(roomId).isEmpty());
        // AND the room itself goes on
        chat(owner, "still here");
        assertEquals("chat.message", sent.get(owner.connectionId()).getLast().get("type").asText());
        fake.faults().clear();
    }

    @Test
    void createRoom_repeatedAfterCrash_findsRoleAndChannelByNameInsteadOfDuplicating() throws Exception {
        // GIVEN a create that reached Discord before the relay died (role and channel exist, the row says attempted)
        Player owner = player(false);
        UUID roomId = create(owner);
        DiscordRestClient rest = context.getBean(DiscordRestClient.class);
        String roleId = ((RestOutcome.Ok) rest.createRole(GUILD, CommandExecutor.roleName(roomId))).body().get("id").asText();
        rest.createVoiceChannel(GUILD, CommandExecutor.channelName(roomId), roleId);
        sql("UPDATE discord_outbox SET attempts = 1 WHERE room_id = ? AND kind = 'CREATE_ROOM'", roomId);
        // WHEN the new leader drains
        drainAll();
        // THEN it adopted them
        assertEquals(1, rolesNamed(CommandExecutor.roleName(roomId)));
        assertEquals(roleId, one("SELECT role_id FROM discord_rooms WHERE room_id = ?", roomId));
        assertEquals(channelOf(roomId).orElseThrow().get("id").asText(),
                one("SELECT channel_id FROM discord_rooms WHERE room_id = ?", roomId));
        long channels = stream(get("/guilds/" + GUILD + "/channels"))
                .filter(c -> c.get("name").asText().equals(CommandExecutor.channelName(roomId))).count();
        assertEquals(1, channels);
        rooms.close(roomId, owner.userId());
        drainAll();
    }

    @Test
    void leaderLock_twoRelays_onlyOneLeadsUntilItLetsGo() {
        RelaySettings settings = context.getBean(RelaySettings.class);
        DataSource pooled = context.getBean(DataSource.class);
        try (LeaderLock first = new LeaderLock(pooled, settings); LeaderLock second = new LeaderLock(pooled, settings)) {
            assertTrue(first.tryAcquire());
            assertFalse(second.tryAcquire());
            assertTrue(first.tryAcquire(), "the leader stays the leader");
            first.release();
            assertTrue(second.tryAcquire());
            assertFalse(first.tryAcquire());
        }
    }

    @Test
    void gatewayEvents_voiceAndMessage_reachMembersWithin300msAtP95() throws Exception {
        // GIVEN a ready room with a linked member
        Player owner = player(true);
        UUID roomId = create(owner);
        drainAll();
        String channelId = channelOf(roomId).orElseThrow().get("id").asText();
        int before = sent.getOrDefault(owner.connectionId(), List.of()).size();
        // WHEN 40 dispatches arrive (join, leave, join, …), each timed from the relay receiving it to the socket post
        List<Long> latenciesMicros = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int expected = before + i + 1;
            long start = System.nanoTime();
            fake.voice(owner.discordUserId(), i % 2 == 0 ? channelId : null);
            await(() -> count(owner) >= expected, "event " + expected);
            List<Long> at = receivedAtNanos.get(owner.connectionId());
            latenciesMicros.add((at.getLast() - start) / 1000);
        }
        // THEN
        assertEquals(before + 40, sent.get(owner.connectionId()).size());
        List<Long> sorted = latenciesMicros.stream().sorted().toList();
        long p50 = sorted.get(sorted.size() / 2);
        long p95 = sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
        System.out.printf("discord dispatch (fake gateway, WebSocket) -> member socket: p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)%n",
                p50 / 1000.0, p95 / 1000.0, sorted.getLast() / 1000.0, sorted.size());
        assertTrue(p95 <= 300_000, "p95 " + p95 + " µs");
        rooms.close(roomId, owner.userId());
        drainAll();
    }

    @Test
    void gateway_reconnectAndResumeMidStream_everyVoiceEventOnceInOrderSequenceKept() throws Exception {
        // GIVEN a ready room with a linked member in voice
        Player owner = player(true);
        UUID roomId = create(owner);
        drainAll();
        String channelId = channelOf(roomId).orElseThrow().get("id").asText();
        long sequenceBefore = gateway.lastSequence();
        String session = fakeGateway.sessionId().orElseThrow();
        // WHEN Discord asks for a reconnect (op 7) between dispatches, and drops the connection between two more
        fake.voice(owner.discordUserId(), channelId);
        await(() -> frames(owner, "voice.joined").size() == 1, "first join");
        assertTrue(fakeGateway.faults().sendReconnect());
        fake.voice(owner.discordUserId(), null);
        fake.voice(owner.discordUserId(), channelId);
        assertTrue(fakeGateway.faults().dropConnection());
        fake.voice(owner.discordUserId(), null);
        // THEN after the resumes each event reached the room once, in order, on the same session
        await(() -> frames(owner, "voice.left").size() == 2, "both leaves");
        List<String> voice = sent.get(owner.connectionId()).stream().map(f -> f.path("type").asText())
                .filter(t -> t.startsWith("voice.joined") || t.startsWith("voice.left")).toList();
        assertEquals(List.of("voice.joined", "voice.left", "voice.joined", "voice.left"), voice);
        List<Long> seqs = sent.get(owner.connectionId()).stream().filter(f -> f.path("type").asText().startsWith("voice."))
                .map(f -> f.get("roomSeq").asLong()).toList();
        assertEquals(seqs.stream().sorted().distinct().toList(), seqs, "roomSeq strictly increasing, no duplicate");
        await(() -> gateway.state() == GatewayState.READY, "READY again");
        assertEquals(session, fakeGateway.sessionId().orElseThrow(), "resumed, not re-identified");
        // (a re-identified session would restart at 1; RESUMED dispatches are numbered too, so at least +4)
        assertTrue(gateway.lastSequence() >= sequenceBefore + 4,
                "the sequence went on across both resumes: " + sequenceBefore + " -> " + gateway.lastSequence());
        rooms.close(roomId, owner.userId());
        drainAll();
    }

    @Test
    void gateway_fiveFailedReconnects_raiseTheOperatorAlertMetric() {
        // GIVEN a second relay gateway (its own session) and a fake that refuses every new connection
        io.micrometer.core.instrument.MeterRegistry registry = context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        double before = registry.counter(io.tilemud.contract.MetricNames.DISCORD_GATEWAY_ALERTS, "reason",
                "reconnects_exhausted").count();
        // (heartbeats every 100 ms: a dropped TCP connection is noticed at the next write, not after 41 s)
        try (FakeGateway flaky = FakeGateway.start("127.0.0.1", 0, Duration.ofMillis(100))) {
            io.tilemud.discord.DiscordSettings base = context.getBean(io.tilemud.discord.DiscordSettings.class);
            io.tilemud.discord.DiscordSettings settings = new io.tilemud.discord.DiscordSettings(base.botToken(),
                    base.guildId(), base.apiBaseUrl(), flaky.url().toString(), base.clientId(), base.clientSecret(),
                    base.redirectUri(), base.channelLinkBase(), base.outboxMaxPending(), base.messageMaxChars());
            try (RelayGateway second = new RelayGateway(settings, context.getBean(RelaySettings.class),
                    context.getBean(GatewayEvents.class), registry, Clock.systemUTC())) {
                second.start();
                await(() -> second.state() == GatewayState.READY, "second READY");
                flaky.faults().refuseConnections(100);
                // WHEN its connection drops
                assertTrue(flaky.faults().dropConnection());
                // THEN after 5 reconnects (10+20+40+80+160 ms) it stops and the alert is counted once
                await(() -> second.state() == GatewayState.STOPPED_EXHAUSTED, "STOPPED_EXHAUSTED");
                assertEquals(6, flaky.connectionAttempts().size(), "the first connection and 5 reconnects, no more");
                assertEquals(before + 1, registry.counter(io.tilemud.contract.MetricNames.DISCORD_GATEWAY_ALERTS,
                        "reason", "reconnects_exhausted").count());
                assertEquals(GatewayState.READY, gateway.state(), "the main session is untouched");
            }
        }
    }

    @Test
    void context_noBotToken_hasNoRelayBeans() {
        try (ApplicationContext plain = ApplicationContext.builder().properties(SharedTestInfra.get().properties()).start()) {
            assertTrue(plain.findBean(DiscordRelay.class).isEmpty());
            assertTrue(plain.findBean(RelayRunner.class).isEmpty());
            assertTrue(plain.findBean(GatewayEvents.class).isEmpty());
            assertTrue(plain.findBean(RelayGateway.class).isEmpty());
            assertTrue(plain.findBean(JdbcDiscordLinks.class).isEmpty());
        }
    }
}
