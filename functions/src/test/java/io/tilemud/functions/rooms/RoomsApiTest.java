package io.tilemud.functions.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.tilemud.connection.UserConnections;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.functions.admission.MutableClock;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import io.tilemud.realtime.ClientMessenger;
import io.tilemud.rooms.RoomJanitor;
import io.tilemud.user.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ROOM-01 and ROOM-04 through the production HTTP handler with recorded API Gateway events on the embedded servers:
 * every route's success and error codes with the state unchanged, forged/expired/re-pointed invites, isolation
 * between users, the join race, ownership hand-over and idle close on an injected clock. Room events are checked
 * at the WebSocket port (a recording messenger), in roomSeq order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Recording messenger = new Recording();
    private ApplicationContext context;
    private APIGatewayV2HTTPEventFunction handler;
    private MutableClock clock;

    /** What the handlers post to sockets, per connection, in order. */
    static final class Recording implements ClientMessenger {
        final Map<String, List<JsonNode>> sent = new ConcurrentHashMap<>();

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

        List<JsonNode> of(String connectionId) {
            return sent.getOrDefault(connectionId, List.of());
        }
    }

    private record Player(String token, UUID userId, String connectionId) {
    }

    @BeforeAll
    void start() {
        context = ApplicationContext.builder().properties(SharedTestInfra.get().properties()).singletons(messenger).start();
        handler = new APIGatewayV2HTTPEventFunction(context);
        clock = context.getBean(MutableClock.class);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private HttpResult send(HttpEvents.Builder event) {
        return HttpResult.of(handler.handleRequest(event.build(), new LocalLambdaContext()));
    }

    /** A user with an active character, "connected" to the game WebSocket. */
    private Player player() {
        String subject = "room-" + UUID.randomUUID();
        String token = Tokens.forSubject(subject);
        HttpResult created = send(HttpEvents.request("POST", "/characters").bearer(token)
                .json("{\"name\":\"P" + subject.substring(5, 13) + "\"}"));
        assertEquals(201, created.status(), created.body());
        assertEquals(204, send(HttpEvents.request("PUT", "/me/active-character").bearer(token)
                .json("{\"characterId\":\"" + created.json().get("id").asText() + "\"}")).status());
        UUID userId = context.getBean(UserService.class).ensureUser(subject).id();
        String connectionId = "c-" + UUID.randomUUID();
        context.getBean(UserConnections.class).bound(userId, connectionId, Instant.now());
        return new Player(token, userId, connectionId);
    }

    private HttpResult create(Player p) {
        return send(HttpEvents.request("POST", "/rooms").bearer(p.token()).json("{}"));
    }

    private HttpResult join(Player p, String invite) {
        return send(HttpEvents.request("POST", "/rooms/join").bearer(p.token())
                .json("{\"inviteToken\":" + (invite == null ? "null" : "\"" + invite + "\"") + "}"));
    }

    private HttpResult show(Player p, String roomId) {
        return send(HttpEvents.get("/rooms/" + roomId).bearer(p.token()));
    }

    private HttpResult leave(Player p, String roomId) {
        return send(HttpEvents.request("DELETE", "/rooms/" + roomId + "/members/me").bearer(p.token()));
    }

    private HttpResult close(Player p, String roomId) {
        return send(HttpEvents.request("DELETE", "/rooms/" + roomId).bearer(p.token()));
    }

    private HttpResult invite(Player p, String roomId) {
        return send(HttpEvents.request("POST", "/rooms/" + roomId + "/invites").bearer(p.token()).json("{}"));
    }

    private static void assertError(HttpResult result, int status, String code) {
        assertEquals(status, result.status(), result.body());
        assertEquals(code, result.json().get("code").asText(), result.body());
        assertNotNull(result.json().get("message"));
        assertNotNull(result.json().get("transient"));
    }

    private int memberCount(Player member, String roomId) {
        HttpResult shown = show(member, roomId);
        assertEquals(200, shown.status(), shown.body());
        return shown.json().get("members").size();
    }

    private List<String> types(Player p) {
        return messenger.of(p.connectionId()).stream().map(f -> f.get("type").asText()).toList();
    }

    private List<Long> seqs(Player p) {
        return messenger.of(p.connectionId()).stream().map(f -> f.get("roomSeq").asLong()).toList();
    }

    @Test
    void create_playerWithCharacter_returns201WithInviteAndOwnerAsMember() {
        // GIVEN
        Player owner = player();
        // WHEN
        HttpResult created = create(owner);
        // THEN
        assertEquals(201, created.status(), created.body());
        JsonNode room = created.json();
        assertEquals(owner.userId().toString(), room.get("ownerId").asText());
        assertEquals(1, room.get("members").size());
        assertEquals(owner.userId().toString(), room.get("members").get(0).get("userId").asText());
        assertNotNull(room.get("members").get(0).get("characterId").asText());
        assertTrue(room.get("members").get(0).get("name").asText().startsWith("P"));
        assertTrue(room.get("inviteToken").asText().split("\\.").length == 3);
        Instant expires = Instant.parse(room.get("inviteExpiresAt").asText());
        assertTrue(Duration.between(clock.instant(), expires).toHours() >= 23);
        assertEquals("/rooms/" + room.get("roomId").asText(), created.header("location"));
        assertEquals(List.of("member.joined"), types(owner));
    }

    @Test
    void create_alreadyInRoom_returns409AndKeepsTheFirst() {
        Player owner = player();
        String roomId = create(owner).json().get("roomId").asText();

        assertError(create(owner), 409, "ALREADY_IN_ROOM");

        assertEquals(1, memberCount(owner, roomId));
    }

    @Test
    void create_noActiveCharacter_returns400() {
        assertError(send(HttpEvents.request("POST", "/rooms").bearer(Tokens.newPlayer()).json("{}")), 400,
                "NO_ACTIVE_CHARACTER");
    }

    @Test
    void join_validInvite_returns200AndEveryMemberGetsMemberJoinedInOrder() {
        // GIVEN a room of one
        Player owner = player();
        JsonNode room = create(owner).json();
        Player second = player();
        Player third = player();
        // WHEN two join
        HttpResult joined = join(second, room.get("inviteToken").asText());
        assertEquals(200, joined.status(), joined.body());
        assertEquals(200, join(third, room.get("inviteToken").asText()).status());
        // THEN
        assertEquals(3, memberCount(third, room.get("roomId").asText()));
        assertEquals(List.of(1L, 2L, 3L), seqs(owner));
        assertEquals(List.of(2L, 3L), seqs(second));
        assertEquals(List.of(3L), seqs(third));
        JsonNode event = messenger.of(owner.connectionId()).get(2);
        assertEquals("member.joined", event.get("type").asText());
        assertEquals(room.get("roomId").asText(), event.get("roomId").asText());
        assertEquals(third.userId().toString(), event.get("member").get("userId").asText());
        assertNotNull(Instant.parse(event.get("at").asText()));
    }

    @Test
    void join_fifthPlayer_returns409RoomFullAndKeepsFour() {
        Player owner = player();
        JsonNode room = create(owner).json();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, join(player(), room.get("inviteToken").asText()).status());
        }

        assertError(join(player(), room.get("inviteToken").asText()), 409, "ROOM_FULL");

        assertEquals(4, memberCount(owner, room.get("roomId").asText()));
    }

    @Test
    void join_alreadyInAnotherRoom_returns409AndChangesNeither() {
        Player a = player();
        Player b = player();
        JsonNode roomA = create(a).json();
        JsonNode roomB = create(b).json();

        assertError(join(a, roomB.get("inviteToken").asText()), 409, "ALREADY_IN_ROOM");
        assertError(join(a, roomA.get("inviteToken").asText()), 409, "ALREADY_IN_ROOM");

        assertEquals(1, memberCount(a, roomA.get("roomId").asText()));
        assertEquals(1, memberCount(b, roomB.get("roomId").asText()));
    }

    @Test
    void join_forgedOrRepointedOrMissingInvite_returns400InviteInvalidAndJoinsNothing() {
        // GIVEN two rooms and a player who is in neither
        Player a = player();
        Player b = player();
        JsonNode roomA = create(a).json();
        JsonNode roomB = create(b).json();
        Player outsider = player();
        String token = roomA.get("inviteToken").asText();
        String[] parts = token.split("\\.");
        // re-pointed: room A's token with room B in its claims, signature kept
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(roomA.get("roomId").asText(), roomB.get("roomId").asText());
        String repointed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        // forged: signed with another key
        String forged = new io.tilemud.rooms.InviteTokens(new io.tilemud.rooms.RoomSettings(
                "another-key-nobody-here-knows-0123456789", 86400, 4, 3600, 30, 5, 200, 2, 1))
                .issue(UUID.fromString(roomB.get("roomId").asText()), clock.instant()).token();
        // "none" algorithm: the claims without a signature
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"invite+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        for (String bad : new String[]{repointed, forged, unsigned, "not-a-token", parts[0] + "." + parts[1]}) {
            // WHEN / THEN
            assertError(join(outsider, bad), 400, "INVITE_INVALID");
        }
        assertError(join(outsider, null), 400, "INVITE_INVALID");
        assertEquals(1, memberCount(a, roomA.get("roomId").asText()));
        assertEquals(1, memberCount(b, roomB.get("roomId").asText()));
    }

    @Test
    void join_inviteOlderThan24Hours_returns410InviteExpired() {
        Player owner = player();
        JsonNode room = create(owner).json();
        Player late = player();
        String token = room.get("inviteToken").asText();
        // Keeps the room active while the token ages.
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        invite(owner, room.get("roomId").asText());

        assertError(join(late, token), 410, "INVITE_EXPIRED");

        assertEquals(1, memberCount(owner, room.get("roomId").asText()));
        // A fresh invite works.
        String fresh = invite(owner, room.get("roomId").asText()).json().get("inviteToken").asText();
        assertEquals(200, join(late, fresh).status());
    }

    @Test
    void join_tenConcurrentForThreePlaces_exactlyThreeSucceed() throws Exception {
        // GIVEN a room with one member: three free places
        Player owner = player();
        JsonNode room = create(owner).json();
        List<Player> racers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racers.add(player());
        }
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Player racer : racers) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                statuses.add(join(racer, room.get("inviteToken").asText()).status());
            }));
        }
        // WHEN
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        // THEN
        assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(4, memberCount(owner, room.get("roomId").asText()));
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(owner));
    }

    @Test
    void nonMember_seesNothingCannotInviteLeaveOrClose_sameAsMissingRoom() {
        // GIVEN a room and a player from outside it
        Player owner = player();
        JsonNode room = create(owner).json();
        String roomId = room.get("roomId").asText();
        Player stranger = player();
        String missing = UUID.randomUUID().toString();
        for (String id : new String[]{roomId, missing, "not-a-uuid"}) {
            // WHEN / THEN: each answer is the same whether the room exists or not
            assertError(show(stranger, id), 404, "NOT_FOUND");
            assertError(invite(stranger, id), 404, "NOT_FOUND");
            assertError(leave(stranger, id), 404, "NOT_FOUND");
            assertError(close(stranger, id), 404, "NOT_FOUND");
        }
        assertEquals(1, memberCount(owner, roomId));
        assertEquals(List.of(1L), seqs(owner));
        assertEquals(List.of(), types(stranger));
    }

    @Test
    void close_byMemberNotOwner_returns403AndKeepsTheRoom() {
        Player owner = player();
        JsonNode room = create(owner).json();
        Player member = player();
        join(member, room.get("inviteToken").asText());

        assertError(close(member, room.get("roomId").asText()), 403, "FORBIDDEN");

        assertEquals(2, memberCount(member, room.get("roomId").asText()));
    }

    @Test
    void close_byOwner_warnsThenDeletesAndInvitesStopWorking() {
        Player owner = player();
        JsonNode room = create(owner).json();
        Player member = player();
        join(member, room.get("inviteToken").asText());
        String roomId = room.get("roomId").asText();

        assertEquals(204, close(owner, roomId).status());

        assertError(show(owner, roomId), 404, "NOT_FOUND");
        assertEquals(List.of("member.joined", "room.closing", "room.deleted"), types(member));
        assertEquals(0, messenger.of(member.connectionId()).get(1).get("inSeconds").asInt());
        assertEquals(List.of(2L, 3L, 4L), seqs(member));
        assertError(join(player(), room.get("inviteToken").asText()), 400, "INVITE_INVALID");
        // Both are free to start another room.
        assertEquals(201, create(owner).status());
        assertEquals(201, create(member).status());
    }

    @Test
    void leave_ownerLeaves_longestStandingMemberOwnsAndLastOutClosesTheRoom() {
        // GIVEN owner, then second, then third
        Player owner = player();
        JsonNode room = create(owner).json();
        String roomId = room.get("roomId").asText();
        Player second = player();
        Player third = player();
        join(second, room.get("inviteToken").asText());
        join(third, room.get("inviteToken").asText());
        // WHEN the owner leaves
        assertEquals(204, leave(owner, roomId).status());
        // THEN the longest-standing member owns the room
        JsonNode shown = show(third, roomId).json();
        assertEquals(second.userId().toString(), shown.get("ownerId").asText());
        assertEquals(2, shown.get("members").size());
        JsonNode left = messenger.of(third.connectionId()).getLast();
        assertEquals("member.left", left.get("type").asText());
        assertEquals(owner.userId().toString(), left.get("userId").asText());
        assertEquals(second.userId().toString(), left.get("ownerId").asText());
        assertError(show(owner, roomId), 404, "NOT_FOUND");
        assertError(leave(owner, roomId), 404, "NOT_FOUND");
        // the new owner may close; the last one out closes the room
        assertEquals(204, leave(second, roomId).status());
        assertEquals(204, leave(third, roomId).status());
        assertEquals("room.deleted", messenger.of(third.connectionId()).getLast().get("type").asText());
        assertError(show(third, roomId), 404, "NOT_FOUND");
    }

    @Test
    void janitor_roomIdleForAnHour_warnedThenDeletedOnceEvenWithTwoJanitors() throws Exception {
        // GIVEN a room of two, and time moved past the idle hour
        RoomOfTwo two = roomOfTwo();
        Player member = two.member();
        String roomId = two.roomId();
        RoomJanitor janitor = context.getBean(RoomJanitor.class);
        clock.advance(Duration.ofMinutes(59));
        janitor.sweep();
        assertEquals(List.of("member.joined"), types(member));
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        // WHEN two janitors run at once, twice: at the warning and 30 s later
        twoAtOnce(janitor);
        // THEN one warning
        assertEquals(List.of("member.joined", "room.closing"), types(member));
        assertEquals(30, messenger.of(member.connectionId()).getLast().get("inSeconds").asInt());
        assertEquals(200, show(member, roomId).status());
        clock.advance(Duration.ofSeconds(30));
        twoAtOnce(janitor);
        assertEquals(List.of("member.joined", "room.closing", "room.deleted"), types(member));
        assertEquals(List.of(2L, 3L, 4L), seqs(member));
        assertError(show(member, roomId), 404, "NOT_FOUND");
        twoAtOnce(janitor);
        assertEquals(3, messenger.of(member.connectionId()).size());
    }

    @Test
    void janitor_memberActiveDuringTheWarning_roomKept_andTheNextIdleHourWarnsAgain() {
        // GIVEN a room of two, warned after an idle hour
        RoomOfTwo two = roomOfTwo();
        Player owner = two.owner();
        Player member = two.member();
        String roomId = two.roomId();
        RoomJanitor janitor = context.getBean(RoomJanitor.class);
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        janitor.sweep();
        assertEquals(List.of("member.joined", "room.closing"), types(member));
        // WHEN a member acts within the 30 s warning (a fresh invite is member activity)
        clock.advance(Duration.ofSeconds(10));
        assertEquals(201, invite(owner, roomId).status());
        // THEN the janitor's run after the warning period deletes nothing: the room stays, nobody was told it went
        clock.advance(Duration.ofSeconds(25));
        janitor.sweep();
        assertEquals(200, show(member, roomId).status());
        assertEquals(List.of("member.joined", "room.closing"), types(member));
        // AND another idle hour warns again, and then the room goes
        clock.advance(Duration.ofHours(1));
        janitor.sweep();
        assertEquals(List.of("member.joined", "room.closing", "room.closing"), types(member));
        clock.advance(Duration.ofSeconds(30));
        janitor.sweep();
        assertEquals(List.of("member.joined", "room.closing", "room.closing", "room.deleted"), types(member));
        assertError(show(member, roomId), 404, "NOT_FOUND");
    }

    private record RoomOfTwo(Player owner, Player member, String roomId) {
    }

    private RoomOfTwo roomOfTwo() {
        Player owner = player();
        JsonNode room = create(owner).json();
        Player member = player();
        assertEquals(200, join(member, room.get("inviteToken").asText()).status());
        return new RoomOfTwo(owner, member, room.get("roomId").asText());
    }

    private static void twoAtOnce(RoomJanitor janitor) throws InterruptedException {
        Thread one = Thread.ofVirtual().start(janitor::sweep);
        Thread two = Thread.ofVirtual().start(janitor::sweep);
        one.join();
        two.join();
    }
}
