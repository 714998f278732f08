package io.tilemud.discord.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real WebSocket server (Netty) speaking the subset of Discord's gateway (v10, JSON) the relay uses, for tests and
 * the local stack — never a stand-in for the real Discord in production.
 *
 * <p>What it does like Discord: HELLO on connect with a configurable {@code heartbeat_interval}; HEARTBEAT → ACK;
 * IDENTIFY → a new session and READY ({@code session_id}, {@code resume_gateway_url} pointing at {@code /resume});
 * RESUME with a known session → the dispatches after the client's {@code seq}, then RESUMED; RESUME with an unknown
 * session → op 9 {@code d:false}; a client close with 1000/1001 ends the session, any other code keeps it; a second
 * IDENTIFY on one connection → close 4005; an unknown opcode → 4001; a frame that is not JSON → 4002.
 * Dispatches sent while the session has no connection are held and replayed on RESUME.
 *
 * <p>Faults are scripted through {@link #faults()}. Thread-safe: test threads and Netty's event loop share one lock,
 * and every write goes through the channel's event loop in lock order, so dispatches leave in sequence order.
 */
public final class FakeGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeGateway.class);
    /** Discord's usual interval; tests pass a short one to {@link #start(String, int, Duration)}. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(41_250);
    private static final int MAX_FRAME_BYTES = 1 << 20;

    /** One WebSocket upgrade request the fake saw. */
    public record ConnectionAttempt(long atNanos, String uri, boolean refused) {
        /** When the request arrived, on {@link System#nanoTime()}'s clock. */
        public long atNanos() {
            return atNanos;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Object lock = new Object();
    private final FakeGatewayFaults faults = new FakeGatewayFaults(this);
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<ConnectionAttempt> attempts = new CopyOnWriteArrayList<>();
    private final List<Integer> clientCloseCodes = new CopyOnWriteArrayList<>();
    private final Duration heartbeatInterval;
    private final String host;
    private Channel serverChannel;
    private int port;

    // Guarded by lock.
    private final Map<String, Session> sessions = new HashMap<>();
    private Session current;
    private Link live;
    private int refuseRemaining;
    private boolean fragment;
    private int replayOverlap;
    private boolean ignoreIdentify;
    private boolean withholdHello;

    private FakeGateway(String host, Duration heartbeatInterval) {
        this.host = host;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** Starts on {@code host:port} (0 = any free port) with Discord's heartbeat interval. */
    public static FakeGateway start(String host, int port) {
        return start(host, port, DEFAULT_HEARTBEAT_INTERVAL);
    }

    /** Starts with the given heartbeat interval (tests: 50–200 ms). */
    public static FakeGateway start(String host, int port, Duration heartbeatInterval) {
        Objects.requireNonNull(host, "host");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive");
        }
        FakeGateway fake = new FakeGateway(host, heartbeatInterval);
        fake.bind(port);
        return fake;
    }

    private void bind(int requestedPort) {
        try {
            serverChannel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(64 * 1024))
                                    .addLast("gateway", new Link());
                        }
                    })
                    .bind(host, requestedPort).sync().channel();
            port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
            LOG.atInfo().addKeyValue("event", "FAKE_GATEWAY_STARTED").addKeyValue("port", port).log("fake gateway started");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while binding the fake gateway", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Where a client identifies: {@code ws://host:port/?v=10&encoding=json}. */
    public URI url() {
        return URI.create("ws://" + host + ":" + port + "/?v=10&encoding=json");
    }

    /** The {@code resume_gateway_url} READY hands out: bare, like Discord's, on the {@code /resume} path. */
    public URI resumeUrl() {
        return URI.create("ws://" + host + ":" + port + "/resume");
    }

    public int port() {
        return port;
    }

    /**
     * Sends a dispatch to the identified session: numbered with the session's next sequence, kept for RESUME replay,
     * and written at once when the session has a connection (otherwise held until it resumes).
     *
     * @throws IllegalStateException when no client has identified yet
     */
    public void dispatch(String type, JsonNode data) {
        Objects.requireNonNull(type, "type");
        synchronized (lock) {
            if (current == null) {
                throw new IllegalStateException("no identified session to dispatch " + type + " to");
            }
            current.dispatch(type, data == null ? NullNode.getInstance() : data);
        }
    }

    public FakeGatewayFaults faults() {
        return faults;
    }

    /** Every frame the client sent, in arrival order, across connections. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** The frames the client sent with opcode {@code op}. */
    public List<JsonNode> received(int op) {
        return received.stream().filter(frame -> frame.path("op").asInt(-1) == op).toList();
    }

    /** Every WebSocket upgrade request, refused ones included, in arrival order. */
    public List<ConnectionAttempt> connectionAttempts() {
        return List.copyOf(attempts);
    }

    /** The close codes of the close frames the client sent. */
    public List<Integer> clientCloseCodes() {
        return List.copyOf(clientCloseCodes);
    }

    /** The id of the session {@link #dispatch} goes to, if a client has identified. */
    public Optional<String> sessionId() {
        synchronized (lock) {
            return Optional.ofNullable(current).map(session -> session.id);
        }
    }

    /** Whether the identified session has a live, identified or resumed connection. */
    public boolean connected() {
        synchronized (lock) {
            return current != null && current.link != null;
        }
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    // ---- faults (called by FakeGatewayFaults, under lock) ----

    void refuse(int connections) {
        synchronized (lock) {
            refuseRemaining = connections;
        }
    }

    void fragmentFrames(boolean on) {
        synchronized (lock) {
            fragment = on;
        }
    }

    void ignoreIdentify(boolean on) {
        synchronized (lock) {
            ignoreIdentify = on;
        }
    }

    void withholdHello(boolean on) {
        synchronized (lock) {
            withholdHello = on;
        }
    }

    /** Ends the identified session wherever it is (Discord timed it out while the client was away). */
    boolean expireSession() {
        synchronized (lock) {
            if (current == null) {
                return false;
            }
            discardSession(current);
            return true;
        }
    }

    void replayOverlap(int dispatches) {
        synchronized (lock) {
            replayOverlap = dispatches;
        }
    }

    /** Runs {@code action} on the most recent open connection; false when there is none. */
    boolean onLive(java.util.function.Consumer<Link> action) {
        synchronized (lock) {
            if (live == null || !live.channel.isActive()) {
                return false;
            }
            action.accept(live);
            return true;
        }
    }

    /** Ends a session as Discord would after op 9 d:false, 4007/4009 or a fatal close. */
    void discardSession(Session session) {
        if (session != null) {
            sessions.remove(session.id);
            if (current == session) {
                current = null;
            }
            if (session.link != null) {
                session.link.session = null;
                session.link = null;
            }
        }
    }

    ObjectNode op(int op, JsonNode d) {
        ObjectNode frame = json.createObjectNode();
        frame.put("op", op);
        frame.set("d", d == null ? NullNode.getInstance() : d);
        return frame;
    }

    /** A gateway session: its sequence counter and every dispatch it was sent, for replay. */
    final class Session {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final String token;
        final List<ObjectNode> dispatched = new ArrayList<>();
        long sequence;
        Link link;

        Session(String token) {
            this.token = token;
        }

        void dispatch(String type, JsonNode data) {
            ObjectNode frame = json.createObjectNode();
            frame.put("op", 0);
            frame.put("t", type);
            frame.put("s", ++sequence);
            frame.set("d", data);
            dispatched.add(frame);
            if (link != null) {
                link.write(frame);
            }
        }
    }

    /** One TCP connection: HTTP upgrade, then gateway frames. */
    final class Link extends SimpleChannelInboundHandler<Object> {
        Channel channel;
        private WebSocketServerHandshaker handshaker;
        Session session;
        boolean dropAcks;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (message instanceof FullHttpRequest request) {
                upgrade(ctx, request);
            } else if (message instanceof WebSocketFrame frame) {
                onFrame(ctx, frame);
            }
        }

        private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean refused;
            synchronized (lock) {
                refused = refuseRemaining > 0;
                if (refused) {
                    refuseRemaining--;
                }
            }
            attempts.add(new ConnectionAttempt(System.nanoTime(), request.uri(), refused));
            if (refused) {
                var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        Unpooled.copiedBuffer("refused by fault", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String location = "ws://" + host + ":" + port + request.uri();
            handshaker = new WebSocketServerHandshakerFactory(location, null, true, MAX_FRAME_BYTES)
                    .newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            handshaker.handshake(ctx.channel(), request).addListener(future -> {
                if (!future.isSuccess()) {
                    ctx.close();
                    return;
                }
                ctx.pipeline().addBefore(ctx.name(), "fragments", new WebSocketFrameAggregator(MAX_FRAME_BYTES));
                ObjectNode hello = json.createObjectNode();
                hello.put("heartbeat_interval", heartbeatInterval.toMillis());
                synchronized (lock) {
                    live = this;
                    if (!withholdHello) {
                        write(op(10, hello));
                    }
                }
            });
        }

        private void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                int code = close.statusCode();
                clientCloseCodes.add(code);
                synchronized (lock) {
                    // Discord ends the session when the client closes with 1000 or 1001; other codes keep it.
                    if (session != null && (code == 1000 || code == 1001)) {
                        discardSession(session);
                    }
                    detach();
                }
                handshaker.close(ctx.channel(), close.retain());
                return;
            }
            if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                return;
            }
            if (!(frame instanceof TextWebSocketFrame text)) {
                return;
            }
            JsonNode payload;
            try {
                payload = json.readTree(text.text());
            } catch (Exception e) {
                closeWith(4002, "Decode error");
                return;
            }
            received.add(payload);
            synchronized (lock) {
                switch (payload.path("op").asInt(-1)) {
                    case 1 -> {
                        if (!dropAcks) {
                            write(op(11, null));
                        }
                    }
                    case 2 -> identify(payload.path("d"));
                    case 6 -> resume(payload.path("d"));
                    default -> closeWith(4001, "Unknown opcode");
                }
            }
        }

        private void identify(JsonNode d) {
            if (ignoreIdentify) {
                return;
            }
            if (session != null) {
                closeWith(4005, "Already authenticated");
                return;
            }
            String token = d.path("token").asText("");
            if (token.isBlank()) {
                closeWith(4004, "Authentication failed");
                return;
            }
            Session fresh = new Session(token);
            sessions.put(fresh.id, fresh);
            attach(fresh);
            ObjectNode ready = json.createObjectNode();
            ready.put("v", 10);
            ready.put("session_id", fresh.id);
            ready.put("resume_gateway_url", resumeUrl().toString());
            ObjectNode user = ready.putObject("user");
            user.put("id", "100000000000000001");
            user.put("username", "tilemud-fake-bot");
            user.put("bot", true);
            ready.putArray("guilds");
            ready.putObject("application").put("id", "100000000000000001");
            fresh.dispatch("READY", ready);
        }

        private void resume(JsonNode d) {
            Session known = sessions.get(d.path("session_id").asText(""));
            if (known == null || !known.token.equals(d.path("token").asText(""))) {
                write(op(9, json.getNodeFactory().booleanNode(false)));
                return;
            }
            long after = d.path("seq").asLong(0) - replayOverlap;
            attach(known);
            for (ObjectNode frame : known.dispatched) {
                if (frame.get("s").asLong() > after) {
                    write(frame);
                }
            }
            known.dispatch("RESUMED", NullNode.getInstance());
        }

        private void attach(Session target) {
            if (target.link != null && target.link != this) {
                // Discord lets one connection hold a session; the older one is simply abandoned here.
                target.link.session = null;
            }
            target.link = this;
            session = target;
            current = target;
        }

        void detach() {
            if (session != null && session.link == this) {
                session.link = null;
            }
            session = null;
            if (live == this) {
                live = null;
            }
        }

        /** Writes in lock order through the event loop, split in three fragments when that fault is on. */
        void write(JsonNode frame) {
            String text = frame.toString();
            boolean split = fragment && text.length() >= 3;
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) {
                    return;
                }
                if (split) {
                    int third = text.length() / 3;
                    channel.write(new TextWebSocketFrame(false, 0, text.substring(0, third)));
                    channel.write(new ContinuationWebSocketFrame(false, 0, text.substring(third, 2 * third)));
                    channel.writeAndFlush(new ContinuationWebSocketFrame(true, 0, text.substring(2 * third)));
                } else {
                    channel.writeAndFlush(new TextWebSocketFrame(text));
                }
            });
        }

        /** Sends a close frame with {@code code} and closes; 4007/4009 and fatal codes also end the session. */
        void closeWith(int code, String reason) {
            synchronized (lock) {
                if (code == 4007 || code == 4009 || code == 4004 || (code >= 4010 && code <= 4014)) {
                    discardSession(session);
                }
                detach();
            }
            channel.eventLoop().execute(() -> channel.writeAndFlush(new CloseWebSocketFrame(code, reason))
                    .addListener(ChannelFutureListener.CLOSE));
        }

        /** Closes the TCP connection without a close frame, like a network failure; the session stays resumable. */
        void drop() {
            synchronized (lock) {
                detach();
            }
            channel.eventLoop().execute(() -> channel.close());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            synchronized (lock) {
                detach();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
