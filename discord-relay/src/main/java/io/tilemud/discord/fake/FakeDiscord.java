package io.tilemud.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Discord for tests and the local stack — never the real one (DSC-04). One guild, one bot, the REST
 * {@code /api/v10} subset rooms use with Discord's rate-limit headers ({@code X-RateLimit-Limit/Remaining/Reset/
 * Reset-After/Bucket}, per bucket and major parameter, {@link #bucketLimit} requests per
 * {@link #bucketWindow}), real 429s when a bucket is exceeded, scripted faults ({@link #faults()}), OAuth2
 * ({@code /oauth2/token}, {@code /users/@me}), and its state readable through the real endpoints
 * ({@code GET /users/@me/guilds}, {@code /guilds/{id}/channels}, {@code /guilds/{id}/roles}, {@code /guilds/{id}/members/{user}},
 * {@code /channels/{id}/messages}).
 *
 * <p>Developer endpoints: {@code POST /dev/discord/authorize {discordUserId, username}} → {@code {code}} (what
 * Discord's consent page would hand the browser), {@code POST /dev/discord/voice {discordUserId, channelId|null}}
 * and {@code POST /dev/discord/message {discordUserId, channelId, content}}; the latter two become gateway
 * dispatches ({@code VOICE_STATE_UPDATE}, {@code MESSAGE_CREATE}) handed to {@link #onDispatch}.
 *
 * <p>Time comes from the given Clock, so tests that advance a clock see buckets reset. Thread-safe (one monitor).
 */
public final class FakeDiscord implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUILD_CHANNELS = Pattern.compile("/guilds/(\\d+)/channels");
    private static final Pattern GUILD_ROLES = Pattern.compile("/guilds/(\\d+)/roles");
    private static final Pattern GUILD_ROLE = Pattern.compile("/guilds/(\\d+)/roles/(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("/guilds/(\\d+)/members/(\\d+)");
    private static final Pattern MEMBER_ROLE = Pattern.compile("/guilds/(\\d+)/members/(\\d+)/roles/(\\d+)");
    private static final Pattern CHANNEL = Pattern.compile("/channels/(\\d+)");
    private static final Pattern MESSAGES = Pattern.compile("/channels/(\\d+)/messages");
    private static final Pattern REACTION = Pattern.compile("/channels/(\\d+)/messages/(\\d+)/reactions/([^/]+)/@me");
    private static final Pattern TYPING = Pattern.compile("/channels/(\\d+)/typing");

    /** One request as the fake received it (for request-shape assertions). */
    public record Recorded(String method, String path, String authorization, String contentType, JsonNode body) {
    }

    private final HttpServer server;
    private final Clock clock;
    private final String botToken;
    private final String guildId;
    private final String botUserId;
    private final AtomicLong ids = new AtomicLong(1_300_000_000_000_000_000L);
    private final FakeDiscordFaults faults = new FakeDiscordFaults();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, JsonNode>> dispatchSinks = new CopyOnWriteArrayList<>();

    // guarded by this
    private final Map<String, ObjectNode> channels = new LinkedHashMap<>();
    private final Map<String, ObjectNode> roles = new LinkedHashMap<>();
    private final Map<String, Set<String>> memberRoles = new HashMap<>();
    private final Map<String, List<ObjectNode>> messages = new HashMap<>();
    private final Map<String, String> nonces = new HashMap<>();
    private final Map<String, String> users = new HashMap<>();
    private final Map<String, String> codes = new HashMap<>();
    private final Map<String, String> accessTokens = new HashMap<>();
    private final Map<String, String> voiceStates = new HashMap<>();
    private final Map<String, Window> windows = new HashMap<>();
    private final List<String> typing = new ArrayList<>();
    private int bucketLimit = 5;
    private Duration bucketWindow = Duration.ofSeconds(1);

    private record Window(Instant resetAt, int used) {
    }

    private FakeDiscord(HttpServer server, Clock clock, String botToken, String guildId) {
        this.server = server;
        this.clock = clock;
        this.botToken = botToken;
        this.guildId = guildId;
        this.botUserId = Long.toString(ids.incrementAndGet());
        ObjectNode everyone = JSON.createObjectNode().put("id", guildId).put("name", "@everyone").put("permissions", "0");
        roles.put(guildId, everyone);
    }

    /**
     * Starts the fake on {@code host:port} (0: any free port).
     *
     * @param botToken the only bot token it accepts ({@code Authorization: Bot …})
     */
    public static FakeDiscord start(String host, int port, String botToken, String guildId, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        FakeDiscord fake = new FakeDiscord(server, clock, botToken, guildId);
        server.createContext("/", fake::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-discord");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return fake;
    }

    /** {@code http://host:port/api/v10}: what {@code tilemud.discord.api-base-url} points at. */
    public URI apiBaseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/api/v10");
    }

    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    public String guildId() {
        return guildId;
    }

    public FakeDiscordFaults faults() {
        return faults;
    }

    /** Every REST request received, oldest first (developer endpoints excluded). */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** Where {@code VOICE_STATE_UPDATE} and {@code MESSAGE_CREATE} go (the gateway, or a test). */
    public void onDispatch(BiConsumer<String, JsonNode> sink) {
        dispatchSinks.add(sink);
    }

    /** Requests each bucket allows per window (Discord's real numbers vary; 5 per second is typical). */
    public synchronized void bucketLimit(int requests, Duration window) {
        this.bucketLimit = requests;
        this.bucketWindow = window;
    }

    /** A user the OAuth2 flow can authorize; returns an authorization code for it. */
    public synchronized String authorize(String discordUserId, String username) {
        users.put(discordUserId, username);
        String code = "code-" + UUID.randomUUID();
        codes.put(code, discordUserId);
        return code;
    }

    /** A user joins ({@code channelId}) or leaves ({@code null}) voice: a VOICE_STATE_UPDATE dispatch. */
    public void voice(String discordUserId, String channelId) {
        String username;
        synchronized (this) {
            if (channelId == null) {
                voiceStates.remove(discordUserId);
            } else {
                voiceStates.put(discordUserId, channelId);
            }
            username = users.getOrDefault(discordUserId, "user" + discordUserId);
        }
        ObjectNode d = JSON.createObjectNode().put("guild_id", guildId).put("user_id", discordUserId)
                .put("session_id", "voice-" + discordUserId);
        if (channelId == null) {
            d.putNull("channel_id");
        } else {
            d.put("channel_id", channelId);
        }
        d.putObject("member").putObject("user").put("id", discordUserId).put("username", username);
        dispatch("VOICE_STATE_UPDATE", d);
    }

    /** A user writes in a channel: stored, and a MESSAGE_CREATE dispatch. */
    public ObjectNode message(String discordUserId, String channelId, String content) {
        ObjectNode m;
        synchronized (this) {
            String username = users.getOrDefault(discordUserId, "user" + discordUserId);
            m = newMessage(channelId, content, JSON.createObjectNode().put("id", discordUserId).put("username", username)
                    .put("global_name", username));
        }
        dispatch("MESSAGE_CREATE", m);
        return m;
    }

    private void dispatch(String type, JsonNode data) {
        dispatchSinks.forEach(sink -> sink.accept(type, data));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            byte[] raw = readAll(exchange.getRequestBody());
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
            if (path.startsWith("/dev/discord/")) {
                developer(exchange, method, path, raw);
                return;
            }
            if (!path.startsWith("/api/v10/")) {
                send(exchange, 404, error("404: Not Found", 0), Map.of());
                return;
            }
            String sub = path.substring("/api/v10".length());
            JsonNode body = contentType.startsWith("application/json") && raw.length > 0 ? JSON.readTree(raw) : MissingNode.getInstance();
            String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            requests.add(new Recorded(method, sub, authorization, contentType,
                    contentType.startsWith("application/x-www-form-urlencoded") ? form(raw) : body));
            if (sub.equals("/oauth2/token") && method.equals("POST")) {
                token(exchange, form(raw));
                return;
            }
            if (sub.equals("/users/@me") && authorization.startsWith("Bearer ")) {
                me(exchange, authorization.substring("Bearer ".length()));
                return;
            }
            if (!authorization.equals("Bot " + botToken)) {
                send(exchange, 401, error("401: Unauthorized", 0), Map.of());
                return;
            }
            Optional<FakeDiscordFaults.Fault> fault = faults.take(sub);
            if (fault.isPresent()) {
                fault(exchange, method, sub, fault.get());
                return;
            }
            String bucket = bucketOf(method, sub);
            Map<String, String> headers = new LinkedHashMap<>();
            if (!rateLimit(bucket, headers)) {
                double retry = Double.parseDouble(headers.get("X-RateLimit-Reset-After"));
                headers.put("Retry-After", Long.toString((long) Math.ceil(retry)));
                headers.put("X-RateLimit-Scope", "user");
                send(exchange, 429, JSON.createObjectNode().put("message", "You are being rate limited.")
                        .put("retry_after", retry).put("global", false), headers);
                return;
            }
            route(exchange, method, sub, body, headers);
        } catch (RuntimeException e) {
            send(exchange, 500, error("500: " + e, 0), Map.of());
        }
    }

    private void route(HttpExchange exchange, String method, String sub, JsonNode body, Map<String, String> headers)
            throws IOException {
        Matcher m;
        synchronized (this) {
            if (sub.equals("/users/@me") && method.equals("GET")) {
                send(exchange, 200, JSON.createObjectNode().put("id", botUserId).put("username", "tilemud-bot").put("bot", true), headers);
            } else if (sub.equals("/users/@me/guilds") && method.equals("GET")) {
                ArrayNode guilds = JSON.createArrayNode();
                guilds.addObject().put("id", guildId).put("name", "TileMUD (fake)").put("owner", false);
                send(exchange, 200, guilds, headers);
            } else if ((m = GUILD_CHANNELS.matcher(sub)).matches() && ownGuild(m.group(1))) {
                if (method.equals("GET")) {
                    send(exchange, 200, JSON.valueToTree(channels.values()), headers);
                } else if (method.equals("POST")) {
                    ObjectNode channel = ((ObjectNode) body.deepCopy()).put("id", Long.toString(ids.incrementAndGet()))
                            .put("guild_id", guildId);
                    if (!channel.has("type")) {
                        channel.put("type", 0);
                    }
                    channels.put(channel.get("id").asText(), channel);
                    send(exchange, 201, channel, headers);
                } else {
                    send(exchange, 405, error("405: Method Not Allowed", 0), headers);
                }
            } else if ((m = GUILD_ROLE.matcher(sub)).matches() && ownGuild(m.group(1)) && method.equals("DELETE")) {
                if (m.group(2).equals(guildId) || roles.remove(m.group(2)) == null) {
                    send(exchange, 404, error("Unknown Role", 10011), headers);
                } else {
                    String roleId = m.group(2);
                    memberRoles.values().forEach(set -> set.remove(roleId));
                    send(exchange, 204, null, headers);
                }
            } else if ((m = GUILD_ROLES.matcher(sub)).matches() && ownGuild(m.group(1))) {
                if (method.equals("GET")) {
                    send(exchange, 200, JSON.valueToTree(roles.values()), headers);
                } else if (method.equals("POST")) {
                    ObjectNode role = ((ObjectNode) body.deepCopy()).put("id", Long.toString(ids.incrementAndGet()));
                    roles.put(role.get("id").asText(), role);
                    send(exchange, 200, role, headers);
                } else {
                    send(exchange, 405, error("405: Method Not Allowed", 0), headers);
                }
            } else if ((m = MEMBER_ROLE.matcher(sub)).matches() && ownGuild(m.group(1))) {
                if (!roles.containsKey(m.group(3))) {
                    send(exchange, 404, error("Unknown Role", 10011), headers);
                } else if (method.equals("PUT")) {
                    memberRoles.computeIfAbsent(m.group(2), u -> new LinkedHashSet<>()).add(m.group(3));
                    send(exchange, 204, null, headers);
                } else if (method.equals("DELETE")) {
                    memberRoles.getOrDefault(m.group(2), new LinkedHashSet<>()).remove(m.group(3));
                    send(exchange, 204, null, headers);
                } else {
                    send(exchange, 405, error("405: Method Not Allowed", 0), headers);
                }
            } else if ((m = MEMBER.matcher(sub)).matches() && ownGuild(m.group(1)) && method.equals("GET")) {
                ObjectNode member = JSON.createObjectNode();
                member.putObject("user").put("id", m.group(2)).put("username", users.getOrDefault(m.group(2), "user" + m.group(2)));
                ArrayNode list = member.putArray("roles");
                memberRoles.getOrDefault(m.group(2), Set.of()).forEach(list::add);
                send(exchange, 200, member, headers);
            } else if ((m = REACTION.matcher(sub)).matches() && method.equals("PUT")) {
                String messageId = m.group(2);
                Optional<ObjectNode> message = messages.getOrDefault(m.group(1), List.of()).stream()
                        .filter(x -> x.get("id").asText().equals(messageId)).findFirst();
                if (message.isEmpty()) {
                    send(exchange, 404, error("Unknown Message", 10008), headers);
                } else {
                    String emoji = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
                    ArrayNode reactions = message.get().has("reactions") ? (ArrayNode) message.get().get("reactions")
                            : message.get().putArray("reactions");
                    reactions.addObject().put("count", 1).put("me", true).putObject("emoji").put("name", emoji);
                    send(exchange, 204, null, headers);
                }
            } else if ((m = TYPING.matcher(sub)).matches() && method.equals("POST")) {
                if (!channels.containsKey(m.group(1))) {
                    send(exchange, 404, error("Unknown Channel", 10003), headers);
                } else {
                    typing.add(m.group(1));
                    send(exchange, 204, null, headers);
                }
            } else if ((m = MESSAGES.matcher(sub)).matches()) {
                String channelId = m.group(1);
                if (!channels.containsKey(channelId)) {
                    send(exchange, 404, error("Unknown Channel", 10003), headers);
                } else if (method.equals("GET")) {
                    send(exchange, 200, JSON.valueToTree(messages.getOrDefault(channelId, List.of())), headers);
                } else if (method.equals("POST")) {
                    String nonce = body.path("nonce").asText("");
                    String known = body.path("enforce_nonce").asBoolean(false) && !nonce.isEmpty()
                            ? nonces.get(channelId + ":" + nonce) : null;
                    if (known != null) {
                        // Discord answers a repeated enforced nonce with the message it created the first time.
                        send(exchange, 200, messages.get(channelId).stream().filter(x -> x.get("id").asText().equals(known))
                                .findFirst().orElseThrow(), headers);
                    } else {
                        ObjectNode message = newMessage(channelId, body.path("content").asText(""),
                                JSON.createObjectNode().put("id", botUserId).put("username", "tilemud-bot").put("bot", true));
                        if (!nonce.isEmpty()) {
                            message.put("nonce", nonce);
                            nonces.put(channelId + ":" + nonce, message.get("id").asText());
                        }
                        send(exchange, 200, message, headers);
                    }
                } else {
                    send(exchange, 405, error("405: Method Not Allowed", 0), headers);
                }
            } else if ((m = CHANNEL.matcher(sub)).matches() && method.equals("DELETE")) {
                ObjectNode removed = channels.remove(m.group(1));
                if (removed == null) {
                    send(exchange, 404, error("Unknown Channel", 10003), headers);
                } else {
                    send(exchange, 200, removed, headers);
                }
            } else {
                send(exchange, 404, error("404: Not Found", 0), headers);
            }
        }
    }

    private ObjectNode newMessage(String channelId, String content, ObjectNode author) {
        ObjectNode message = JSON.createObjectNode().put("id", Long.toString(ids.incrementAndGet()))
                .put("channel_id", channelId).put("guild_id", guildId).put("content", content)
                .put("timestamp", clock.instant().toString());
        message.set("author", author);
        messages.computeIfAbsent(channelId, c -> new ArrayList<>()).add(message);
        return message;
    }

    private boolean ownGuild(String id) {
        return guildId.equals(id);
    }

    /** Bucket = method + route template with ids collapsed, plus the major parameter (the first id). */
    private static String bucketOf(String method, String path) {
        String[] parts = path.split("/");
        String major = parts.length > 2 ? parts[2] : "";
        String template = path.replaceAll("/\\d+", "/{id}").replaceAll("/reactions/[^/]+", "/reactions/{emoji}");
        return method + " " + template + "|" + major;
    }

    /** Counts the request in its bucket's window; false when the bucket is exhausted. Fills the headers either way. */
    private synchronized boolean rateLimit(String bucket, Map<String, String> headers) {
        Instant now = clock.instant();
        Window window = windows.get(bucket);
        if (window == null || !window.resetAt().isAfter(now)) {
            window = new Window(now.plus(bucketWindow), 0);
        }
        boolean allowed = window.used() < bucketLimit;
        if (allowed) {
            window = new Window(window.resetAt(), window.used() + 1);
        }
        windows.put(bucket, window);
        double resetAfter = Duration.between(now, window.resetAt()).toNanos() / 1e9;
        String hash = Integer.toHexString(bucket.substring(0, bucket.indexOf('|')).hashCode());
        headers.put("X-RateLimit-Limit", Integer.toString(bucketLimit));
        headers.put("X-RateLimit-Remaining", Integer.toString(Math.max(0, bucketLimit - window.used())));
        headers.put("X-RateLimit-Reset", String.format(java.util.Locale.ROOT, "%.3f", window.resetAt().toEpochMilli() / 1000.0));
        headers.put("X-RateLimit-Reset-After", String.format(java.util.Locale.ROOT, "%.3f", resetAfter));
        headers.put("X-RateLimit-Bucket", hash);
        return allowed;
    }

    private void fault(HttpExchange exchange, String method, String sub, FakeDiscordFaults.Fault fault) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (fault.kind()) {
            case SERVER_ERROR -> send(exchange, fault.status(), error(fault.status() + ": Server Error", 0), headers);
            case BUCKET_429, GLOBAL_429 -> {
                boolean global = fault.kind() == FakeDiscordFaults.Kind.GLOBAL_429;
                headers.put("Retry-After", trim(fault.headerRetryAfterSeconds()));
                headers.put("X-RateLimit-Scope", global ? "global" : "user");
                if (global) {
                    headers.put("X-RateLimit-Global", "true");
                } else {
                    headers.put("X-RateLimit-Limit", Integer.toString(bucketLimit));
                    headers.put("X-RateLimit-Remaining", "0");
                    headers.put("X-RateLimit-Reset-After", trim(fault.bodyRetryAfterSeconds()));
                    String bucket = bucketOf(method, sub);
                    headers.put("X-RateLimit-Bucket", Integer.toHexString(bucket.substring(0, bucket.indexOf('|')).hashCode()));
                }
                send(exchange, 429, JSON.createObjectNode().put("message", "You are being rate limited.")
                        .put("retry_after", fault.bodyRetryAfterSeconds()).put("global", global), headers);
            }
        }
    }

    private static String trim(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.3f", seconds);
    }

    private void token(HttpExchange exchange, JsonNode form) throws IOException {
        String code = form.path("code").asText("");
        String user;
        synchronized (this) {
            user = codes.remove(code);
            if (user != null) {
                String access = "access-" + UUID.randomUUID();
                accessTokens.put(access, user);
                user = access;
            }
        }
        if (!form.path("grant_type").asText("").equals("authorization_code") || user == null) {
            send(exchange, 400, JSON.createObjectNode().put("error", "invalid_grant")
                    .put("error_description", "Invalid \"code\" in request."), Map.of());
            return;
        }
        send(exchange, 200, JSON.createObjectNode().put("access_token", user).put("token_type", "Bearer")
                .put("expires_in", 604800).put("refresh_token", "refresh-" + UUID.randomUUID()).put("scope", "identify"), Map.of());
    }

    private void me(HttpExchange exchange, String accessToken) throws IOException {
        String user;
        String name;
        synchronized (this) {
            user = accessTokens.get(accessToken);
            name = user == null ? null : users.get(user);
        }
        if (user == null) {
            send(exchange, 401, error("401: Unauthorized", 0), Map.of());
            return;
        }
        send(exchange, 200, JSON.createObjectNode().put("id", user).put("username", name).put("global_name", name), Map.of());
    }

    private void developer(HttpExchange exchange, String method, String path, byte[] raw) throws IOException {
        JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
        if (!method.equals("POST")) {
            send(exchange, 405, error("405: Method Not Allowed", 0), Map.of());
            return;
        }
        switch (path) {
            case "/dev/discord/authorize" -> send(exchange, 200, JSON.createObjectNode().put("code",
                    authorize(body.path("discordUserId").asText(), body.path("username").asText("player"))), Map.of());
            case "/dev/discord/voice" -> {
                JsonNode channel = body.get("channelId");
                voice(body.path("discordUserId").asText(), channel == null || channel.isNull() ? null : channel.asText());
                send(exchange, 204, null, Map.of());
            }
            case "/dev/discord/message" -> send(exchange, 200, message(body.path("discordUserId").asText(),
                    body.path("channelId").asText(), body.path("content").asText("")), Map.of());
            default -> send(exchange, 404, error("404: Not Found", 0), Map.of());
        }
    }

    private static JsonNode form(byte[] raw) {
        ObjectNode form = JSON.createObjectNode();
        for (String pair : new String(raw, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static ObjectNode error(String message, int code) {
        return JSON.createObjectNode().put("message", message).put("code", code);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static void send(HttpExchange exchange, int status, JsonNode body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (body == null || status == 204) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
