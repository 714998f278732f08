package io.tilemud.discord.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Discord REST API v10 (DSC-01) on the JDK HttpClient: the subset rooms need, behind Discord's rate limits
 * ({@link RateLimits}) and one retry budget per call: after a 429, a 5xx or no answer it waits 1, 2, 4, 8, 16 s
 * ({@link RestSettings#retryBaseMillis()} doubling; after a 429 at least its {@code retry_after}, the larger of the
 * {@code Retry-After} header and the body's {@code retry_after}) and gives up after {@link RestSettings#maxRetries()}
 * retries. Other 4xx answers are final at once: retrying cannot fix them. Never retries forever.
 *
 * <p>Thread-safe: callers on several threads share the limits. Waits go through the injected {@link Sleeper}.
 */
public final class DiscordRestClient {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordRestClient.class);
    /** Permission bits (https://discord.com/developers/docs/topics/permissions). */
    public static final long VIEW_CHANNEL = 1L << 10;
    public static final long SEND_MESSAGES = 1L << 11;
    public static final long READ_MESSAGE_HISTORY = 1L << 16;
    public static final long CONNECT = 1L << 20;
    public static final long SPEAK = 1L << 21;
    /** Channel type of a guild voice channel; overwrite type 0 is a role. */
    public static final int GUILD_VOICE = 2;
    public static final int VOICE_USER_LIMIT = 4;
    static final String USER_AGENT = "DiscordBot (https://github.com/tilemud/tilemud-cloud, 1.0)";

    private final String baseUrl;
    private final String botToken;
    private final HttpClient http;
    private final RateLimits limits;
    private final Sleeper sleeper;
    private final RestSettings settings;
    private final ObjectMapper json = new ObjectMapper();

    public DiscordRestClient(String baseUrl, String botToken, HttpClient http, RateLimits limits, Sleeper sleeper,
                             RestSettings settings) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.botToken = botToken;
        this.http = http;
        this.limits = limits;
        this.sleeper = sleeper;
        this.settings = settings;
    }

    /** A role named after the room: no permissions of its own beyond what the channel's overwrite grants. */
    public RestOutcome createRole(String guildId, String name) {
        ObjectNode body = json.createObjectNode().put("name", name).put("permissions", "0").put("mentionable", false)
                .put("hoist", false);
        return call(new Route("POST", "/guilds/{guild.id}/roles", guildId, "/guilds/" + guildId + "/roles"), body, false);
    }

    public RestOutcome deleteRole(String guildId, String roleId) {
        return call(new Route("DELETE", "/guilds/{guild.id}/roles/{role.id}", guildId,
                "/guilds/" + guildId + "/roles/" + roleId), null, true);
    }

    /**
     * The room's private voice channel: type 2, {@code user_limit} 4; {@code @everyone} (its role id is the guild id)
     * denied view and connect, the room's role allowed view, connect, speak, send and read history.
     */
    public RestOutcome createVoiceChannel(String guildId, String name, String roleId) {
        ObjectNode body = json.createObjectNode().put("name", name).put("type", GUILD_VOICE)
                .put("user_limit", VOICE_USER_LIMIT);
        ArrayNode overwrites = body.putArray("permission_overwrites");
        overwrites.addObject().put("id", guildId).put("type", 0).put("allow", "0")
                .put("deny", Long.toString(VIEW_CHANNEL | CONNECT));
        overwrites.addObject().put("id", roleId).put("type", 0)
                .put("allow", Long.toString(VIEW_CHANNEL | CONNECT | SPEAK | SEND_MESSAGES | READ_MESSAGE_HISTORY))
                .put("deny", "0");
        return call(new Route("POST", "/guilds/{guild.id}/channels", guildId, "/guilds/" + guildId + "/channels"), body, false);
    }

    public RestOutcome listChannels(String guildId) {
        return call(new Route("GET", "/guilds/{guild.id}/channels", guildId, "/guilds/" + guildId + "/channels"), null, false);
    }

    public RestOutcome listRoles(String guildId) {
        return call(new Route("GET", "/guilds/{guild.id}/roles", guildId, "/guilds/" + guildId + "/roles"), null, false);
    }

    /** A 404 counts as done: the channel is gone either way (at-least-once delivery may delete twice). */
    public RestOutcome deleteChannel(String channelId) {
        return call(new Route("DELETE", "/channels/{channel.id}", channelId, "/channels/" + channelId), null, true);
    }

    public RestOutcome addMemberRole(String guildId, String userId, String roleId) {
        return call(new Route("PUT", "/guilds/{guild.id}/members/{user.id}/roles/{role.id}", guildId,
                "/guilds/" + guildId + "/members/" + userId + "/roles/" + roleId), null, false);
    }

    /** A 404 counts as done (the member left the guild, or the role is gone). */
    public RestOutcome removeMemberRole(String guildId, String userId, String roleId) {
        return call(new Route("DELETE", "/guilds/{guild.id}/members/{user.id}/roles/{role.id}", guildId,
                "/guilds/" + guildId + "/members/" + userId + "/roles/" + roleId), null, true);
    }

    /**
     * A message with mentions switched off (a player cannot ping {@code @everyone} from the game) and a nonce Discord
     * enforces, so a command repeated after a crash posts once.
     */
    public RestOutcome sendMessage(String channelId, String content, String nonce) {
        ObjectNode body = json.createObjectNode().put("content", content).put("nonce", nonce).put("enforce_nonce", true);
        body.putObject("allowed_mentions").putArray("parse");
        return call(new Route("POST", "/channels/{channel.id}/messages", channelId,
                "/channels/" + channelId + "/messages"), body, false);
    }

    /** {@code emoji}: a unicode emoji, or {@code name:id} of a custom one; URL-encoded here. */
    public RestOutcome addReaction(String channelId, String messageId, String emoji) {
        String encoded = URLEncoder.encode(emoji, StandardCharsets.UTF_8).replace("+", "%20");
        return call(new Route("PUT", "/channels/{channel.id}/messages/{message.id}/reactions/{emoji}/@me", channelId,
                "/channels/" + channelId + "/messages/" + messageId + "/reactions/" + encoded + "/@me"), null, false);
    }

    public RestOutcome typing(String channelId) {
        return call(new Route("POST", "/channels/{channel.id}/typing", channelId, "/channels/" + channelId + "/typing"),
                null, false);
    }

    private RestOutcome call(Route route, @Nullable JsonNode body, boolean notFoundIsDone) {
        int attempts = 0;
        int lastStatus = 0;
        String lastReason = "";
        try {
            while (true) {
                awaitSlot(route);
                attempts++;
                Duration retryAfter = Duration.ZERO;
                try {
                    HttpResponse<String> response = http.send(request(route, body), HttpResponse.BodyHandlers.ofString());
                    limits.observe(route, response.headers());
                    int status = response.statusCode();
                    lastStatus = status;
                    if (status >= 200 && status < 300) {
                        return new RestOutcome.Ok(status, parse(response.body()));
                    }
                    if (status == 404 && notFoundIsDone) {
                        return new RestOutcome.Ok(status, MissingNode.getInstance());
                    }
                    if (status == 429) {
                        JsonNode answer = parse(response.body());
                        retryAfter = retryAfter(response, answer);
                        boolean global = answer.path("global").asBoolean(false)
                                || response.headers().firstValue("X-RateLimit-Global").map("true"::equalsIgnoreCase).orElse(false);
                        if (global) {
                            limits.blockGlobal(retryAfter);
                        } else {
                            limits.blockBucket(route, retryAfter);
                        }
                        lastReason = (global ? "global" : "bucket") + " rate limit, retry_after " + retryAfter.toMillis() + " ms";
                    } else if (status >= 500) {
                        lastReason = "server error " + status;
                    } else {
                        // 400, 401, 403, 404…: the request itself is wrong for Discord; retrying cannot fix it.
                        return new RestOutcome.Failed(status, "refused " + status + ": " + abbreviate(response.body()), attempts);
                    }
                } catch (IOException e) {
                    lastStatus = 0;
                    lastReason = "unreachable: " + e.getClass().getSimpleName();
                }
                if (attempts > settings.maxRetries()) {
                    LOG.warn("discord {} {} gave up after {} attempts: {}", route.method(), route.template(), attempts, lastReason);
                    return new RestOutcome.Failed(lastStatus, lastReason, attempts);
                }
                Duration backoff = Duration.ofMillis(settings.retryBaseMillis() << (attempts - 1));
                sleeper.sleep(retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RestOutcome.Failed(lastStatus, "interrupted", attempts);
        }
    }

    /** Waits (through the sleeper) until the route's bucket and the global limit let a request go. */
    private void awaitSlot(Route route) throws InterruptedException {
        for (Duration wait = limits.acquire(route); !wait.isZero(); wait = limits.acquire(route)) {
            sleeper.sleep(wait);
        }
    }

    /** The larger of the {@code Retry-After} header and the body's {@code retry_after} (both seconds, maybe fractional). */
    private static Duration retryAfter(HttpResponse<String> response, JsonNode answer) {
        Duration header = response.headers().firstValue("Retry-After").flatMap(DiscordRestClient::seconds).orElse(Duration.ZERO);
        Duration body = answer.has("retry_after") ? RateLimits.seconds(answer.get("retry_after").asDouble(0)) : Duration.ZERO;
        return header.compareTo(body) >= 0 ? header : body;
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(RateLimits.seconds(Double.parseDouble(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private HttpRequest request(Route route, @Nullable JsonNode body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + route.path()))
                .timeout(Duration.ofMillis(settings.requestTimeoutMillis()))
                .header("Authorization", "Bot " + botToken)
                .header("User-Agent", USER_AGENT);
        if (body != null) {
            builder.header("Content-Type", "application/json")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else if (route.method().equals("PUT") || route.method().equals("POST")) {
            // Discord wants a length on bodiless PUT/POST (411 otherwise).
            builder.method(route.method(), HttpRequest.BodyPublishers.ofString(""));
        } else {
            builder.method(route.method(), HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) : body;
    }
}
