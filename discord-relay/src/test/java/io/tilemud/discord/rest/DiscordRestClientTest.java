package io.tilemud.discord.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tilemud.discord.fake.FakeDiscord;
import io.tilemud.discord.support.RecordingSleeper;
import io.tilemud.discord.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DSC-01 against the fake Discord: every call's request shape and its effect read back through the real endpoints;
 * per-bucket and global 429s, bucket exhaustion from the headers, the global 50/s, and the retry budget — all waits
 * measured on a test clock (the schedule is the real 1, 2, 4, 8, 16 s; nothing sleeps).
 */
class DiscordRestClientTest {
    private static final String TOKEN = "test-bot-token";
    private static final String GUILD = "900000000000000001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestClock clock = new TestClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeDiscord fake;
    private DiscordRestClient client;

    @BeforeEach
    void start() throws Exception {
        fake = FakeDiscord.start("127.0.0.1", 0, TOKEN, GUILD, clock);
        fake.bucketLimit(1000, Duration.ofSeconds(1));
        client = client(new RestSettings(1000, 5, 50, 5000));
    }

    private DiscordRestClient client(RestSettings settings) {
        return new DiscordRestClient(fake.apiBaseUrl().toString(), TOKEN, http, new RateLimits(clock, settings.globalPerSecond()),
                sleeper, settings);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fake.apiBaseUrl() + path))
                .header("Authorization", "Bot " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode ok(RestOutcome outcome) {
        return assertInstanceOf(RestOutcome.Ok.class, outcome, outcome.toString()).body();
    }

    private FakeDiscord.Recorded last() {
        return fake.requests().getLast();
    }

    private static List<Long> seconds(List<Duration> waits) {
        return waits.stream().map(Duration::toMillis).toList();
    }

    @Test
    void createVoiceChannel_roomRole_sendsType2UserLimit4AndPrivateOverwrites() throws Exception {
        // GIVEN the room's role
        String roleId = ok(client.createRole(GUILD, "tilemud-room-abc")).get("id").asText();
        // WHEN
        JsonNode channel = ok(client.createVoiceChannel(GUILD, "room-abc", roleId));
        // THEN the request
        FakeDiscord.Recorded sent = last();
        assertEquals("POST", sent.method());
        assertEquals("/guilds/" + GUILD + "/channels", sent.path());
        assertEquals("Bot " + TOKEN, sent.authorization());
        assertTrue(sent.contentType().startsWith("application/json"));
        assertEquals(2, sent.body().get("type").asInt());
        assertEquals(4, sent.body().get("user_limit").asInt());
        assertEquals("room-abc", sent.body().get("name").asText());
        JsonNode everyone = sent.body().get("permission_overwrites").get(0);
        assertEquals(GUILD, everyone.get("id").asText());
        assertEquals(0, everyone.get("type").asInt());
        assertEquals(Long.toString((1L << 10) | (1L << 20)), everyone.get("deny").asText()); // VIEW_CHANNEL | CONNECT
        assertEquals("0", everyone.get("allow").asText());
        JsonNode room = sent.body().get("permission_overwrites").get(1);
        assertEquals(roleId, room.get("id").asText());
        assertEquals(Long.toString((1L << 10) | (1L << 20) | (1L << 21) | (1L << 11) | (1L << 16)), room.get("allow").asText());
        assertEquals("0", room.get("deny").asText());
        // AND the state through the real endpoint
        JsonNode listed = get("/guilds/" + GUILD + "/channels");
        assertEquals(1, listed.size());
        assertEquals(channel.get("id").asText(), listed.get(0).get("id").asText());
        assertEquals(4, listed.get(0).get("user_limit").asInt());
    }

    @Test
    void roleAndMemberCalls_everyShape_changeTheFakesState() throws Exception {
        // WHEN a role is created, given to a member, taken away and deleted
        JsonNode role = ok(client.createRole(GUILD, "tilemud-room-1"));
        FakeDiscord.Recorded created = last();
        String roleId = role.get("id").asText();
        ok(client.addMemberRole(GUILD, "555", roleId));
        FakeDiscord.Recorded added = last();
        JsonNode withRole = get("/guilds/" + GUILD + "/members/555");
        ok(client.removeMemberRole(GUILD, "555", roleId));
        FakeDiscord.Recorded removed = last();
        JsonNode withoutRole = get("/guilds/" + GUILD + "/members/555");
        ok(client.deleteRole(GUILD, roleId));
        FakeDiscord.Recorded deleted = last();
        // THEN
        assertEquals("POST", created.method());
        assertEquals("/guilds/" + GUILD + "/roles", created.path());
        assertEquals("tilemud-room-1", created.body().get("name").asText());
        assertEquals("0", created.body().get("permissions").asText());
        assertEquals(false, created.body().get("mentionable").asBoolean());
        assertEquals("PUT", added.method());
        assertEquals("/guilds/" + GUILD + "/members/555/roles/" + roleId, added.path());
        assertEquals(roleId, withRole.get("roles").get(0).asText());
        assertEquals("DELETE", removed.method());
        assertEquals("/guilds/" + GUILD + "/members/555/roles/" + roleId, removed.path());
        assertEquals(0, withoutRole.get("roles").size());
        assertEquals("DELETE", deleted.method());
        assertEquals("/guilds/" + GUILD + "/roles/" + roleId, deleted.path());
        JsonNode roles = get("/guilds/" + GUILD + "/roles");
        assertEquals(1, roles.size()); // only @everyone is left
        assertEquals(List.of(), sleeper.waits());
    }

    @Test
    void channelCalls_messageReactionTypingDelete_everyShape() throws Exception {
        // GIVEN a channel
        String roleId = ok(client.createRole(GUILD, "r")).get("id").asText();
        String channelId = ok(client.createVoiceChannel(GUILD, "room", roleId)).get("id").asText();
        // WHEN a line is sent twice with one nonce, reacted to, typed in, and the channel deleted twice
        JsonNode message = ok(client.sendMessage(channelId, "**Aria**: hi @everyone", "42"));
        FakeDiscord.Recorded sent = last();
        JsonNode again = ok(client.sendMessage(channelId, "**Aria**: hi @everyone", "42"));
        ok(client.addReaction(channelId, message.get("id").asText(), "👍"));
        FakeDiscord.Recorded reacted = last();
        ok(client.typing(channelId));
        FakeDiscord.Recorded typed = last();
        JsonNode messages = get("/channels/" + channelId + "/messages");
        ok(client.deleteChannel(channelId));
        FakeDiscord.Recorded deleted = last();
        RestOutcome secondDelete = client.deleteChannel(channelId);
        // THEN
        assertEquals("/channels/" + channelId + "/messages", sent.path());
        assertEquals("**Aria**: hi @everyone", sent.body().get("content").asText());
        assertEquals("42", sent.body().get("nonce").asText());
        assertTrue(sent.body().get("enforce_nonce").asBoolean());
        assertEquals(0, sent.body().get("allowed_mentions").get("parse").size(), "no mentions from the game");
        assertEquals(message.get("id"), again.get("id"), "an enforced nonce posts once");
        assertEquals(1, messages.size());
        assertEquals("👍", messages.get(0).get("reactions").get(0).get("emoji").get("name").asText());
        assertEquals("PUT", reacted.method());
        assertEquals("/channels/" + channelId + "/messages/" + message.get("id").asText() + "/reactions/%F0%9F%91%8D/@me",
                reacted.path());
        assertEquals("POST", typed.method());
        assertEquals("/channels/" + channelId + "/typing", typed.path());
        assertEquals("DELETE", deleted.method());
        assertEquals("/channels/" + channelId, deleted.path());
        assertEquals(404, ((RestOutcome.Ok) secondDelete).status(), "deleting a gone channel counts as done");
        assertEquals(0, get("/guilds/" + GUILD + "/channels").size());
    }

    @Test
    void call_bucket429_waitsTheLargerRetryAfterThenSucceeds() {
        // GIVEN one per-route 429: body retry_after 3.0 s, header 2 s
        fake.faults().bucket429("/roles", 3.0, 2.0, 1);
        // WHEN
        RestOutcome outcome = client.createRole(GUILD, "r");
        // THEN one wait of 3 s (the larger; more than the 1 s backoff), then the retry went through
        ok(outcome);
        assertEquals(List.of(3000L), seconds(sleeper.waits()));
        assertEquals(2, fake.requests().size());
    }

    @Test
    void call_global429_waitsHeaderWhenLargerAndBlocksEveryRoute() {
        // GIVEN a global 429: body 1.5 s, header 2.5 s
        fake.faults().global429(1.5, 2.5, 1);
        RateLimits limits = new RateLimits(clock, 50);
        Route other = new Route("POST", "/channels/{channel.id}/typing", "777", "/channels/777/typing");
        // WHEN the first answer blocks globally, another route asks while the block holds
        RecordingSleeper probe = new RecordingSleeper(new TestClock());
        DiscordRestClient blocked = new DiscordRestClient(fake.apiBaseUrl().toString(), TOKEN, http, limits,
                d -> {
                    // the moment the client sleeps, every route is blocked
                    probe.sleep(limits.acquire(other));
                    sleeper.sleep(d);
                }, new RestSettings(1000, 5, 50, 5000));
        RestOutcome outcome = blocked.createRole(GUILD, "r");
        // THEN
        ok(outcome);
        assertEquals(List.of(2500L), seconds(sleeper.waits()));
        assertEquals(List.of(2500L), seconds(probe.waits()), "another route waited for the global block too");
        assertEquals(Duration.ZERO, limits.acquire(other), "and goes once it is over");
    }

    @Test
    void call_bucketExhaustedByHeaders_waitsForResetWithout429AndOtherChannelsDoNot() throws Exception {
        // GIVEN buckets of 2 requests per 10 s
        fake.bucketLimit(2, Duration.ofSeconds(10));
        String roleId = ok(client.createRole(GUILD, "r")).get("id").asText();
        clock.advance(Duration.ofSeconds(11));
        String a = ok(client.createVoiceChannel(GUILD, "a", roleId)).get("id").asText();
        String b = ok(client.createVoiceChannel(GUILD, "b", roleId)).get("id").asText();
        clock.advance(Duration.ofSeconds(11));
        sleeper.reset();
        // WHEN three lines go to channel a and one to channel b
        ok(client.typing(a));
        ok(client.typing(a));
        ok(client.typing(b));
        List<Duration> beforeThird = sleeper.waits();
        ok(client.typing(a));
        // THEN only the third on a waited, for the bucket's reset (10 s), and Discord never said 429
        assertEquals(List.of(), beforeThird);
        assertEquals(List.of(10_000L), seconds(sleeper.waits()));
        // (a 429 would have cost a fifth request: the retry)
        assertEquals(4, fake.requests().stream().filter(r -> r.path().endsWith("/typing")).count());
    }

    @Test
    void call_burstAboveGlobalLimit_spreadsTo50PerSecond() {
        // GIVEN a fresh client: 50 tokens
        // WHEN 60 calls go at once
        for (int i = 0; i < 60; i++) {
            ok(client.listRoles(GUILD));
        }
        // THEN the last 10 waited 20 ms each: 200 ms in all
        assertEquals(200, sleeper.total().toMillis());
        assertEquals(60, fake.requests().size());
    }

    @Test
    void call_fiveServerErrorsThenSuccess_retriesWithin31Seconds() {
        fake.faults().serverErrors("/roles", 502, 5);

        ok(client.createRole(GUILD, "r"));

        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L), seconds(sleeper.waits()));
        assertEquals(6, fake.requests().size());
    }

    @Test
    void call_sixServerErrors_failsAfterSixAttemptsNeverMore() {
        fake.faults().serverErrors("/roles", 500, 7);

        RestOutcome outcome = client.createRole(GUILD, "r");

        RestOutcome.Failed failed = assertInstanceOf(RestOutcome.Failed.class, outcome);
        assertEquals(6, failed.attempts());
        assertEquals(500, failed.status());
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L), seconds(sleeper.waits()));
        assertEquals(6, fake.requests().size());
        assertEquals(1, fake.faults().pending(), "the seventh fault was never asked for");
        assertEquals(0, fake.requests().stream().filter(r -> r.method().equals("GET")).count());
    }

    @Test
    void call_429sMixedWith5xx_shareOneBudget() {
        fake.faults().bucket429("/roles", 0.2, 0, 3).serverErrors("/roles", 503, 3);

        RestOutcome.Failed failed = assertInstanceOf(RestOutcome.Failed.class, client.createRole(GUILD, "r"));

        assertEquals(6, failed.attempts());
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L), seconds(sleeper.waits()));
    }

    @Test
    void call_refusedWith4xx_failsAtOnceWithoutRetry() {
        // a bot token Discord does not know: 401 is final
        DiscordRestClient stranger = new DiscordRestClient(fake.apiBaseUrl().toString(), "wrong", http,
                new RateLimits(clock, 50), sleeper, new RestSettings(1000, 5, 50, 5000));

        RestOutcome.Failed failed = assertInstanceOf(RestOutcome.Failed.class, stranger.createRole(GUILD, "r"));

        assertEquals(401, failed.status());
        assertEquals(1, failed.attempts());
        assertEquals(List.of(), sleeper.waits());
    }
}
