package io.tilemud.discord.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The relay's one connection to Discord's gateway (API v10, JSON encoding): HELLO → heartbeats (the first after
 * interval × jitter, then every interval) → IDENTIFY or RESUME → dispatches, with Discord's reconnect rules.
 *
 * <p>Life cycle, as explicit {@link GatewayState}s (the shape of JDA's {@code WebSocketClient}, much smaller):
 * <ul>
 *   <li>a session exists once READY arrives ({@code session_id}, {@code resume_gateway_url}); while it does, every
 *       reconnect goes to the resume URL and sends RESUME with the last sequence; Discord replays what was missed and
 *       ends with RESUMED;</li>
 *   <li>op 7 RECONNECT, op 9 {@code d:true}, a zombie connection (no ACK between two heartbeats), a dropped
 *       connection and close codes 4000–4003/4005/4008 keep the session and resume; the client itself closes with
 *       {@link GatewayCloseCodes#CLIENT_RECONNECT} (never 1000, which would end the session at Discord);</li>
 *   <li>op 9 {@code d:false} and close codes 4007/4009 drop the session: the next connection identifies anew and the
 *       sequence restarts (after op 9 the client waits 1–5 × the base delay, as Discord asks);</li>
 *   <li>close codes 4004 and 4010–4014 stop the client ({@link GatewayState#STOPPED_FATAL},
 *       {@link GatewayListener#onFatalClose});</li>
 *   <li>reconnect n (1-based, counted since the last READY/RESUMED) waits base × 2^(n-1): 1→2→4→8→16 s; when reconnect
 *       {@code maxReconnectAttempts} also fails the client stops ({@link GatewayState#STOPPED_EXHAUSTED},
 *       {@link GatewayListener#onReconnectsExhausted}) instead of retrying forever.</li>
 * </ul>
 *
 * <p>Dispatches reach the listener exactly once and in sequence order: a replayed sequence at or below the last one
 * delivered is dropped. Across a new session (after identify) nothing can be replayed; Discord lost those events.
 *
 * <p>Concurrency: WebSocket callbacks and timers run on different threads; every state change happens under one lock,
 * and callbacks of a connection the client already left are ignored (each connection is its own listener object).
 * Sends on one connection are chained, because {@code java.net.http.WebSocket} refuses a send while one is pending.
 */
public final class GatewayClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);
    /** Both the TCP/TLS/upgrade timeout and how long a client-side close may take before the socket is aborted. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final int HELLO_TIMEOUT_BASE_DELAYS = 10;

    private static final int OP_DISPATCH = 0;
    private static final int OP_HEARTBEAT = 1;
    private static final int OP_IDENTIFY = 2;
    private static final int OP_RESUME = 6;
    private static final int OP_RECONNECT = 7;
    private static final int OP_INVALID_SESSION = 9;
    private static final int OP_HELLO = 10;
    private static final int OP_HEARTBEAT_ACK = 11;

    private final GatewaySettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final GatewayScheduler scheduler;
    private final GatewayListener listener;
    private final RandomGenerator random;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock lock = new ReentrantLock();

    // Everything below is guarded by lock.
    private GatewayState state = GatewayState.DISCONNECTED;
    private boolean started;
    private Connection connection;
    private long connectionCount;
    private String sessionId;
    private URI resumeUrl;
    private long sequence;
    /** The number of the reconnect being waited for or tried; 0 while healthy. */
    private int reconnectAttempt;
    private GatewayScheduler.Scheduled reconnectTimer;
    private long reconnectGeneration;

    public GatewayClient(GatewaySettings settings, HttpClient http, Clock clock, GatewayScheduler scheduler,
                         GatewayListener listener) {
        this(settings, http, clock, scheduler, listener, RandomGenerator.getDefault());
    }

    /** As the main constructor, with the source of heartbeat jitter and re-identify waits made explicit (tests). */
    public GatewayClient(GatewaySettings settings, HttpClient http, Clock clock, GatewayScheduler scheduler,
                         GatewayListener listener, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Opens the first connection; returns at once (the handshake is asynchronous). Callable once. */
    public void start() {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("GatewayClient.start() was already called");
            }
            started = true;
            connect();
        } finally {
            lock.unlock();
        }
    }

    public GatewayState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence of the last dispatch delivered in the current session; 0 before the first one. */
    public long lastSequence() {
        lock.lock();
        try {
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /** The current session's id, or null while there is none (before READY, after the session was invalidated). */
    public String sessionId() {
        lock.lock();
        try {
            return sessionId;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops for good: cancels timers and closes the connection with 1000, which tells Discord the session may end
     * (a relay that shuts down hands over by identifying anew). Idempotent; a no-op after a fatal stop.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (state.isFinal()) {
                return;
            }
            cancelReconnect();
            if (connection != null) {
                leave(connection, GatewayCloseCodes.NORMAL, "shutdown");
            }
            log(GatewayEvent.CLOSED).log("gateway client closed");
            setState(GatewayState.CLOSED);
        } finally {
            lock.unlock();
        }
    }

    // ---- connection life cycle (all under lock) ----

    private void connect() {
        boolean resume = sessionId != null;
        URI uri = resume ? resumeUrl : settings.gatewayUrl();
        Connection c = new Connection(++connectionCount, uri, resume);
        connection = c;
        setState(GatewayState.CONNECTING);
        log(GatewayEvent.CONNECTING).addKeyValue("connection", c.id).addKeyValue("uri", uri.toString())
                .addKeyValue("resume", resume).addKeyValue("attempt", reconnectAttempt).log("connecting to the gateway");
        try {
            http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT).buildAsync(uri, c)
                    .whenComplete((ws, error) -> {
                        if (error != null) {
                            c.connectFailed(error);
                        }
                    });
        } catch (RuntimeException e) {
            c.connectFailed(e);
        }
    }

    /** The current connection ended (server close, network error, failed handshake): decide what comes next. */
    private void connectionEnded(Connection c, int code, String reason) {
        c.stopTimers();
        connection = null;
        log(GatewayEvent.DISCONNECTED).addKeyValue("connection", c.id).addKeyValue("closeCode", code)
                .addKeyValue("reason", reason).log("gateway connection ended");
        if (GatewayCloseCodes.isFatal(code)) {
            sessionId = null;
            resumeUrl = null;
            log(GatewayEvent.FATAL_CLOSE).addKeyValue("closeCode", code).addKeyValue("reason", reason)
                    .log("gateway closed with a fatal code; not reconnecting");
            setState(GatewayState.STOPPED_FATAL);
            notify(() -> listener.onFatalClose(code, reason));
            return;
        }
        if (GatewayCloseCodes.SESSION_LOST.contains(code)) {
            forgetSession();
        }
        scheduleReconnect(null);
    }

    /** The client leaves a connection on its own initiative; its later callbacks are ignored. */
    private void leave(Connection c, int code, String reason) {
        c.stopTimers();
        if (connection == c) {
            connection = null;
        }
        WebSocket ws = c.webSocket;
        if (ws != null) {
            // Send the close frame so Discord sees our code (non-1000 keeps the session), after any pending send (the
            // JDK allows one at a time), but never wait long on a zombie: abort the socket either way.
            c.sends.thenCompose(ignored -> ws.sendClose(code, reason))
                    .orTimeout(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ignored, error) -> ws.abort());
        }
    }

    /** Leaves the current connection and reconnects; {@code fixedDelay} null means the backoff schedule. */
    private void reconnect(Connection c, int code, String reason, Duration fixedDelay) {
        leave(c, code, reason);
        scheduleReconnect(fixedDelay);
    }

    private void scheduleReconnect(Duration fixedDelay) {
        reconnectAttempt++;
        if (reconnectAttempt > settings.maxReconnectAttempts()) {
            int attempts = settings.maxReconnectAttempts();
            log(GatewayEvent.RECONNECTS_EXHAUSTED).addKeyValue("attempts", attempts)
                    .log("gateway reconnects exhausted; not reconnecting");
            setState(GatewayState.STOPPED_EXHAUSTED);
            notify(() -> listener.onReconnectsExhausted(attempts));
            return;
        }
        Duration delay = fixedDelay != null ? fixedDelay : settings.reconnectDelay(reconnectAttempt);
        setState(GatewayState.DISCONNECTED);
        log(GatewayEvent.RECONNECT_SCHEDULED).addKeyValue("attempt", reconnectAttempt)
                .addKeyValue("delayMs", delay.toMillis()).addKeyValue("resume", sessionId != null)
                .log("gateway reconnect scheduled");
        long generation = ++reconnectGeneration;
        reconnectTimer = scheduler.schedule(GatewayScheduler.Timer.RECONNECT, delay, () -> {
            lock.lock();
            try {
                if (generation == reconnectGeneration && state == GatewayState.DISCONNECTED) {
                    reconnectTimer = null;
                    connect();
                }
            } finally {
                lock.unlock();
            }
        });
    }

    private void cancelReconnect() {
        reconnectGeneration++;
        if (reconnectTimer != null) {
            reconnectTimer.cancel();
            reconnectTimer = null;
        }
    }

    private void forgetSession() {
        sessionId = null;
        resumeUrl = null;
        sequence = 0;
    }

    // ---- frames (all under lock, from the current connection) ----

    private void onFrame(Connection c, String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JsonProcessingException e) {
            log(GatewayEvent.MALFORMED_FRAME).addKeyValue("connection", c.id).addKeyValue("length", text.length())
                    .log("ignoring a gateway frame that is not JSON");
            return;
        }
        if (frame == null || !frame.path("op").isInt()) {
            log(GatewayEvent.MALFORMED_FRAME).addKeyValue("connection", c.id).log("ignoring a gateway frame without op");
            return;
        }
        JsonNode d = frame.path("d");
        switch (frame.get("op").asInt()) {
            case OP_HELLO -> onHello(c, d);
            case OP_HEARTBEAT_ACK -> c.onAck();
            case OP_HEARTBEAT -> {
                log(GatewayEvent.HEARTBEAT_REQUESTED).addKeyValue("connection", c.id).log("gateway asked for a heartbeat");
                c.sendHeartbeat();
            }
            case OP_DISPATCH -> onDispatch(c, frame);
            case OP_RECONNECT -> {
                log(GatewayEvent.RECONNECT_REQUESTED).addKeyValue("connection", c.id).log("gateway asked to reconnect");
                reconnect(c, GatewayCloseCodes.CLIENT_RECONNECT, "reconnect requested", null);
            }
            case OP_INVALID_SESSION -> {
                boolean resumable = d.asBoolean(false);
                log(GatewayEvent.INVALID_SESSION).addKeyValue("connection", c.id).addKeyValue("resumable", resumable)
                        .log("gateway invalidated the session");
                if (resumable) {
                    reconnect(c, GatewayCloseCodes.CLIENT_RECONNECT, "invalid session, resuming", null);
                } else {
                    forgetSession();
                    // Discord: wait a random 1–5 s before identifying again; scaled by the base delay for tests.
                    double factor = 1 + 4 * random.nextDouble();
                    Duration wait = Duration.ofNanos((long) (settings.reconnectBaseDelay().toNanos() * factor));
                    reconnect(c, GatewayCloseCodes.CLIENT_RECONNECT, "invalid session, identifying", wait);
                }
            }
            default -> log(GatewayEvent.MALFORMED_FRAME).addKeyValue("connection", c.id)
                    .addKeyValue("op", frame.get("op").asInt()).log("ignoring a gateway opcode the client does not use");
        }
    }

    private void onHello(Connection c, JsonNode d) {
        long intervalMs = d.path("heartbeat_interval").asLong(0);
        if (intervalMs <= 0) {
            log(GatewayEvent.MALFORMED_FRAME).addKeyValue("connection", c.id).log("HELLO without heartbeat_interval");
            reconnect(c, GatewayCloseCodes.CLIENT_RECONNECT, "bad hello", null);
            return;
        }
        Duration interval = Duration.ofMillis(intervalMs);
        double jitter = random.nextDouble();
        log(GatewayEvent.HELLO).addKeyValue("connection", c.id).addKeyValue("heartbeatIntervalMs", intervalMs)
                .log("gateway hello");
        c.startHeartbeats(interval, Duration.ofNanos((long) (interval.toNanos() * jitter)));
        if (c.resume && sessionId != null) {
            ObjectNode resume = json.createObjectNode();
            resume.put("token", settings.botToken());
            resume.put("session_id", sessionId);
            resume.put("seq", sequence);
            setState(GatewayState.RESUMING);
            c.send(OP_RESUME, resume);
            log(GatewayEvent.RESUME_SENT).addKeyValue("connection", c.id).addKeyValue("sessionId", sessionId)
                    .addKeyValue("seq", sequence).log("resuming the gateway session");
        } else {
            ObjectNode identify = json.createObjectNode();
            identify.put("token", settings.botToken());
            identify.put("intents", settings.intents());
            ObjectNode properties = identify.putObject("properties");
            properties.put("os", System.getProperty("os.name", "linux").toLowerCase());
            properties.put("browser", "tilemud-relay");
            properties.put("device", "tilemud-relay");
            setState(GatewayState.IDENTIFYING);
            c.send(OP_IDENTIFY, identify);
            log(GatewayEvent.IDENTIFY_SENT).addKeyValue("connection", c.id).addKeyValue("intents", settings.intents())
                    .log("identifying a new gateway session");
        }
    }

    private void onDispatch(Connection c, JsonNode frame) {
        long s = frame.path("s").asLong(0);
        String type = frame.path("t").asText("");
        if (s <= 0 || type.isEmpty()) {
            log(GatewayEvent.MALFORMED_FRAME).addKeyValue("connection", c.id).log("dispatch without s or t");
            return;
        }
        if (s <= sequence) {
            log(GatewayEvent.DUPLICATE_DISPATCH_DROPPED).addKeyValue("seq", s).addKeyValue("lastSeq", sequence)
                    .addKeyValue("type", type).log("dropping a dispatch already delivered");
            return;
        }
        if (sequence > 0 && s > sequence + 1) {
            log(GatewayEvent.SEQUENCE_GAP).addKeyValue("seq", s).addKeyValue("lastSeq", sequence)
                    .log("gateway skipped sequence numbers");
        }
        sequence = s;
        JsonNode data = frame.has("d") ? frame.get("d") : NullNode.getInstance();
        if ("READY".equals(type)) {
            sessionId = data.path("session_id").asText(null);
            resumeUrl = resumeUri(data.path("resume_gateway_url").asText(null));
            reconnectAttempt = 0;
            log(GatewayEvent.SESSION_READY).addKeyValue("connection", c.id).addKeyValue("sessionId", sessionId)
                    .log("gateway session ready");
            setState(GatewayState.READY);
        } else if ("RESUMED".equals(type)) {
            reconnectAttempt = 0;
            log(GatewayEvent.SESSION_RESUMED).addKeyValue("connection", c.id).addKeyValue("sessionId", sessionId)
                    .addKeyValue("seq", s).log("gateway session resumed");
            setState(GatewayState.READY);
        }
        GatewayDispatch dispatch = new GatewayDispatch(type, s, data);
        notify(() -> listener.onDispatch(dispatch));
    }

    /** Discord's resume URL comes bare ({@code wss://host}); it needs the same version/encoding query as the first. */
    private URI resumeUri(String raw) {
        if (raw == null || raw.isBlank()) {
            return settings.gatewayUrl();
        }
        try {
            URI base = URI.create(raw);
            String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
            String query = base.getRawQuery() != null ? base.getRawQuery() : settings.gatewayUrl().getRawQuery();
            return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            log(GatewayEvent.MALFORMED_FRAME).log("READY with an unusable resume_gateway_url; resuming on the gateway URL");
            return settings.gatewayUrl();
        }
    }

    /** How long an open connection may stay silent before HELLO: 10 × the base delay (10 s with Discord's 1 s). */
    private Duration helloTimeout() {
        return settings.reconnectBaseDelay().multipliedBy(HELLO_TIMEOUT_BASE_DELAYS);
    }

    private void setState(GatewayState next) {
        if (state != next) {
            state = next;
            notify(() -> listener.onStateChange(next));
        }
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("event", GatewayEvent.LISTENER_FAILED.name()).setCause(e)
                    .log("gateway listener threw; carrying on");
        }
    }

    private static LoggingEventBuilder log(GatewayEvent event) {
        boolean warn = switch (event) {
            case CONNECT_FAILED, HELLO_TIMEOUT, ZOMBIE_DETECTED, FATAL_CLOSE, RECONNECTS_EXHAUSTED, SEQUENCE_GAP, MALFORMED_FRAME,
                 SEND_FAILED -> true;
            default -> false;
        };
        boolean debug = event == GatewayEvent.DUPLICATE_DISPATCH_DROPPED || event == GatewayEvent.HEARTBEAT_REQUESTED;
        LoggingEventBuilder builder = warn ? LOG.atWarn() : debug ? LOG.atDebug() : LOG.atInfo();
        return builder.addKeyValue("event", event.name());
    }

    /**
     * One WebSocket connection and its heartbeat. Being the JDK listener itself, it can tell its own callbacks apart
     * from those of a connection the client already left.
     */
    private final class Connection implements WebSocket.Listener {
        final long id;
        final URI uri;
        final boolean resume;
        WebSocket webSocket;
        private final StringBuilder fragments = new StringBuilder();
        CompletableFuture<Void> sends = CompletableFuture.completedFuture(null);
        private GatewayScheduler.Scheduled heartbeatTimer;
        private GatewayScheduler.Scheduled helloTimer;
        private Duration heartbeatInterval;
        private boolean awaitingAck;
        private Instant lastHeartbeatAt;
        private boolean stopped;

        Connection(long id, URI uri, boolean resume) {
            this.id = id;
            this.uri = uri;
            this.resume = resume;
        }

        private boolean current() {
            return connection == this && !stopped;
        }

        @Override
        public void onOpen(WebSocket ws) {
            lock.lock();
            try {
                if (!current()) {
                    ws.abort();
                    return;
                }
                webSocket = ws;
                // A gateway that accepts the upgrade but never says HELLO would leave us connected and deaf.
                helloTimer = scheduler.schedule(GatewayScheduler.Timer.HELLO_TIMEOUT, helloTimeout(), this::helloTimedOut);
            } finally {
                lock.unlock();
            }
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            lock.lock();
            try {
                if (!current()) {
                    return null;
                }
                // A message may come in several parts (fragmented frames, or the JDK splitting a large one).
                fragments.append(data);
                if (last) {
                    String text = fragments.toString();
                    fragments.setLength(0);
                    onFrame(this, text);
                }
            } finally {
                lock.unlock();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
            // JSON encoding without transport compression: Discord sends text only.
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            lock.lock();
            try {
                if (current()) {
                    connectionEnded(this, statusCode, reason);
                }
            } finally {
                lock.unlock();
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lock.lock();
            try {
                if (current()) {
                    connectionEnded(this, GatewayCloseCodes.ABNORMAL, String.valueOf(error));
                }
            } finally {
                lock.unlock();
            }
        }

        void connectFailed(Throwable error) {
            lock.lock();
            try {
                if (!current()) {
                    return;
                }
                stopped = true;
                connection = null;
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                log(GatewayEvent.CONNECT_FAILED).addKeyValue("connection", id).addKeyValue("uri", uri.toString())
                        .addKeyValue("error", String.valueOf(cause)).log("gateway connection failed");
                scheduleReconnect(null);
            } finally {
                lock.unlock();
            }
        }

        private void helloTimedOut() {
            lock.lock();
            try {
                if (current() && heartbeatInterval == null) {
                    log(GatewayEvent.HELLO_TIMEOUT).addKeyValue("connection", id)
                            .addKeyValue("timeoutMs", helloTimeout().toMillis()).log("no HELLO from the gateway; reconnecting");
                    reconnect(this, GatewayCloseCodes.CLIENT_RECONNECT, "no hello", null);
                }
            } finally {
                lock.unlock();
            }
        }

        void startHeartbeats(Duration interval, Duration first) {
            if (helloTimer != null) {
                helloTimer.cancel();
                helloTimer = null;
            }
            heartbeatInterval = interval;
            heartbeatTimer = scheduler.schedule(GatewayScheduler.Timer.HEARTBEAT, first, this::heartbeatTick);
        }

        private void heartbeatTick() {
            lock.lock();
            try {
                if (!current()) {
                    return;
                }
                if (awaitingAck) {
                    log(GatewayEvent.ZOMBIE_DETECTED).addKeyValue("connection", id)
                            .addKeyValue("lastHeartbeatAt", String.valueOf(lastHeartbeatAt))
                            .log("no heartbeat ACK since the last heartbeat; reconnecting");
                    reconnect(this, GatewayCloseCodes.CLIENT_RECONNECT, "zombie connection", null);
                    return;
                }
                sendHeartbeat();
                heartbeatTimer = scheduler.schedule(GatewayScheduler.Timer.HEARTBEAT, heartbeatInterval, this::heartbeatTick);
            } finally {
                lock.unlock();
            }
        }

        void sendHeartbeat() {
            awaitingAck = true;
            lastHeartbeatAt = clock.instant();
            ObjectNode frame = json.createObjectNode();
            frame.put("op", OP_HEARTBEAT);
            if (sequence > 0) {
                frame.put("d", sequence);
            } else {
                frame.putNull("d");
            }
            sendFrame(frame);
        }

        void onAck() {
            awaitingAck = false;
            if (lastHeartbeatAt != null && LOG.isDebugEnabled()) {
                LOG.atDebug().addKeyValue("event", "HEARTBEAT_ACK").addKeyValue("connection", id)
                        .addKeyValue("latencyMs", Duration.between(lastHeartbeatAt, clock.instant()).toMillis())
                        .log("heartbeat acknowledged");
            }
        }

        void send(int op, JsonNode d) {
            ObjectNode frame = json.createObjectNode();
            frame.put("op", op);
            frame.set("d", d);
            sendFrame(frame);
        }

        private void sendFrame(ObjectNode frame) {
            WebSocket ws = webSocket;
            if (ws == null) {
                return;
            }
            String text = frame.toString();
            int op = frame.path("op").asInt();
            sends = sends.thenCompose(ignored -> ws.sendText(text, true)).<Void>thenApply(ignored -> null)
                    .exceptionally(error -> {
                        // The connection is failing; its onError/onClose decides what happens next.
                        log(GatewayEvent.SEND_FAILED).addKeyValue("connection", id).addKeyValue("op", op)
                                .addKeyValue("error", String.valueOf(error)).log("gateway send failed");
                        return null;
                    });
        }

        void stopTimers() {
            stopped = true;
            if (helloTimer != null) {
                helloTimer.cancel();
                helloTimer = null;
            }
            if (heartbeatTimer != null) {
                heartbeatTimer.cancel();
                heartbeatTimer = null;
            }
        }
    }
}
