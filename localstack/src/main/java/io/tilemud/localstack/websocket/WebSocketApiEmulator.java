package io.tilemud.localstack.websocket;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.tilemud.contract.WebSocketRoutes;
import io.tilemud.localstack.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * API Gateway's WebSocket API on 127.0.0.1, with the limits and shapes of the real service:
 * <ul>
 *   <li>upgrade → REQUEST authorizer (Deny: 403) → {@code $connect} (non-2xx: the handshake fails with it);</li>
 *   <li>each text message → route selected by the body's {@code type} ({@code $default} otherwise), one at a time
 *       per connection; a single frame over 32 KiB or a (fragmented) message over 128 KiB closes the connection
 *       (1009);</li>
 *   <li>close, idle for 10 minutes or 2 hours connected → {@code $disconnect};</li>
 *   <li>{@code POST/GET/DELETE /@connections/{id}} (also under {@code /{stage}/}) as the management API
 *       documents it, so {@code ApiGatewayManagementApiClient} with an endpoint override works unchanged
 *       (410 {@code GoneException} for unknown ids).</li>
 * </ul>
 */
public final class WebSocketApiEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketApiEmulator.class);
    static final int MAX_FRAME_BYTES = 32 * 1024;
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    static final int IDLE_SECONDS = 600;
    static final long MAX_CONNECTION_SECONDS = 2 * 3600;
    public static final String STAGE = "local";
    /** RFC 6455 7.4.1: reported when a close frame had no status code; never sent. */
    static final int NO_STATUS_RECEIVED = 1005;

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ExecutorService handshakes = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("ws-handshake-", 0).factory());
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final WebSocketApiRoutes routes;
    private final Channel server;

    private WebSocketApiEmulator(int port, WebSocketApiRoutes routes) throws InterruptedException {
        this.routes = routes;
        this.server = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_MESSAGE_BYTES))
                                .addLast("http", new HttpHandler());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
    }

    public static WebSocketApiEmulator start(int port, WebSocketApiRoutes routes) throws InterruptedException {
        return new WebSocketApiEmulator(port, routes);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The management endpoint handlers post to: what {@code TILEMUD_WS_MANAGEMENT_ENDPOINT} is locally. */
    public String managementEndpoint() {
        return "http://127.0.0.1:" + port() + "/" + STAGE;
    }

    public int openConnections() {
        return connections.size();
    }

    /** Connection ids look like API Gateway's: 12 random bytes, base64. */
    private String newConnectionId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            int at = path.indexOf("/@connections/");
            if (at >= 0) {
                // Percent-decoding only: a '+' in a connection id is a plus, not a space.
                String id = QueryStringDecoder.decodeComponent(path.substring(at + "/@connections/".length())
                        .replace("+", "%2B"));
                // Answered on the event loop: nothing in it blocks (a post is a write to another channel), and a
                // hop to another thread per post cost about a third of the emulator's CPU per delta.
                write(ctx, management(request, id), false);
                return;
            }
            if (!"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
                write(ctx, text(HttpResponseStatus.BAD_REQUEST, "{\"message\":\"Bad Request\"}"), true);
                return;
            }
            FullHttpRequest retained = request.retainedDuplicate();
            // The authorizer and $connect run on a virtual thread; the event loop never blocks.
            handshakes.execute(() -> {
                try {
                    connect(ctx, retained);
                } catch (RuntimeException e) {
                    LOG.error("$connect failed", e);
                    write(ctx, text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "{\"message\":\"Internal server error\"}"), true);
                } finally {
                    retained.release();
                }
            });
        }
    }

    private void connect(ChannelHandlerContext ctx, FullHttpRequest request) {
        String stage = stageOf(request);
        var handshake = WebSocketEvents.Handshake.of(request, stage);
        String connectionId = newConnectionId();
        Map<String, Object> authorizerContext = new HashMap<>();
        if (routes.authorizer().isPresent()) {
            IamPolicyResponse policy;
            try {
                policy = routes.authorizer().get().handleRequest(WebSocketEvents.authorizer(handshake, connectionId), null);
            } catch (RuntimeException unauthorized) {
                // A Lambda authorizer that throws "Unauthorized" makes API Gateway answer 401.
                LOG.debug("authorizer refused {}", connectionId, unauthorized);
                write(ctx, text(HttpResponseStatus.UNAUTHORIZED, "{\"message\":\"Unauthorized\"}"), true);
                return;
            }
            if (policy == null || !allows(policy)) {
                write(ctx, text(HttpResponseStatus.FORBIDDEN, "{\"message\":\"Forbidden\"}"), true);
                return;
            }
            if (policy.getContext() != null) {
                authorizerContext.putAll(policy.getContext());
            }
            authorizerContext.put("principalId", policy.getPrincipalId());
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        Connection connection = new Connection(connectionId, ctx.channel(), Instant.now(),
                remote.getAddress().getHostAddress(), request.headers().get(HttpHeaderNames.USER_AGENT), authorizerContext);
        APIGatewayV2WebSocketResponse response = invoke(WebSocketRoutes.CONNECT, "CONNECT", connection, handshake, null);
        if (response == null || response.getStatusCode() / 100 != 2) {
            int status = response == null ? 500 : response.getStatusCode();
            write(ctx, text(HttpResponseStatus.valueOf(status), response == null || response.getBody() == null
                    ? "{\"message\":\"Forbidden\"}" : response.getBody()), true);
            return;
        }
        // The subprotocol the client offered is accepted only if $connect echoes it, as in AWS.
        HttpHeaders extra = new DefaultHttpHeaders();
        String protocol = header(response, "Sec-WebSocket-Protocol");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + handshake.host() + "/" + stage, protocol, false, MAX_FRAME_BYTES).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        connections.put(connectionId, connection);
        // The id is what the @connections management API takes: say it, so it can be tried by hand.
        LOG.info("$connect {} accepted", connectionId);
        // The caller releases the request when this method returns; the handshake runs later on the event loop.
        FullHttpRequest upgrade = request.retainedDuplicate();
        ctx.channel().eventLoop().execute(() -> {
            ctx.pipeline().remove("http");
            ctx.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS))
                    .addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES))
                    .addLast(new FrameHandler(connection, handshake, stage));
            try {
                handshaker.handshake(ctx.channel(), upgrade, extra, ctx.channel().newPromise());
            } finally {
                upgrade.release();
            }
            ctx.channel().eventLoop().schedule(() -> ctx.channel().writeAndFlush(new CloseWebSocketFrame(1001, "Going away"))
                    .addListener(ChannelFutureListener.CLOSE), MAX_CONNECTION_SECONDS, TimeUnit.SECONDS);
        });
    }

    private static boolean allows(IamPolicyResponse policy) {
        Object statements = policy.getPolicyDocument() == null ? null : policy.getPolicyDocument().get("Statement");
        // The events library serializes statements as a Map[]; hand-built documents may use a List.
        Iterable<?> list = statements instanceof Object[] array ? java.util.Arrays.asList(array)
                : statements instanceof Iterable<?> iterable ? iterable : null;
        if (list == null) {
            return false;
        }
        boolean allowed = false;
        for (Object statement : list) {
            Object effect = statement instanceof IamPolicyResponse.Statement s ? s.getEffect()
                    : statement instanceof Map<?, ?> m ? m.get("Effect") : null;
            if ("Deny".equals(effect)) {
                return false;
            }
            allowed |= "Allow".equals(effect);
        }
        return allowed;
    }

    private static String header(APIGatewayV2WebSocketResponse response, String name) {
        if (response.getHeaders() == null) {
            return null;
        }
        return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String stageOf(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        String stage = path.replaceAll("^/+", "").split("/")[0];
        return stage.isEmpty() ? STAGE : stage;
    }

    private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Connection connection;
        private final WebSocketEvents.Handshake handshake;
        private final String stage;
        private volatile int closeCode = 1006;
        private volatile String closeReason = "";

        FrameHandler(Connection connection, WebSocketEvents.Handshake handshake, String stage) {
            this.connection = connection;
            this.handshake = handshake;
            this.stage = stage;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            connection.lastActiveAt.set(Instant.now());
            switch (frame) {
                case TextWebSocketFrame text -> {
                    String body = text.text();
                    connection.inbound.execute(() -> message(body));
                }
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame close -> {
                    // A close frame may carry no status code (Netty reports -1). RFC 6455 calls that 1005 "no status
                    // received", a code that must never go on the wire: echo an empty close frame, as API Gateway does.
                    boolean hasCode = close.statusCode() >= 0;
                    closeCode = hasCode ? close.statusCode() : NO_STATUS_RECEIVED;
                    closeReason = hasCode ? close.reasonText() : "";
                    ctx.writeAndFlush(hasCode ? new CloseWebSocketFrame(close.statusCode(), close.reasonText())
                                    : new CloseWebSocketFrame())
                            .addListener(ChannelFutureListener.CLOSE);
                }
                default -> {
                    // binary and pong frames: API Gateway routes binary to $default; we have no binary protocol
                }
            }
        }

        private void message(String body) {
            String routeKey = routes.select(typeOf(body));
            APIGatewayV2WebSocketEvent event = event(routeKey, "MESSAGE", connection, null, body, stage);
            APIGatewayV2WebSocketResponse response = invokeEvent(routeKey, event);
            if (response == null || response.getStatusCode() >= 500) {
                // What API Gateway sends the client when the integration fails, naming the request that failed.
                send(connection, "{\"message\": \"Internal server error\", \"connectionId\":\"" + connection.id
                        + "\", \"requestId\":\"" + event.getRequestContext().getRequestId() + "\"}");
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                closeCode = 1001;
                closeReason = "Going away";
                ctx.writeAndFlush(new CloseWebSocketFrame(1001, "Going away")).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException || cause instanceof io.netty.handler.codec.TooLongFrameException) {
                closeCode = 1009;
                closeReason = "Message too big";
                ctx.writeAndFlush(new CloseWebSocketFrame(1009, "Message too big")).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (connections.remove(connection.id) != null) {
                connection.inbound.execute(() -> {
                    APIGatewayV2WebSocketEvent disconnect = WebSocketEvents.event(WebSocketRoutes.DISCONNECT,
                            "DISCONNECT", connection, stage, handshake.host(), handshake, null);
                    invokeEvent(WebSocketRoutes.DISCONNECT, disconnect);
                });
                connection.inbound.shutdown();
            }
        }

        private String typeOf(String body) {
            try {
                JsonNode node = json.readTree(body);
                JsonNode type = node == null ? null : node.get("type");
                return type != null && type.isTextual() ? type.asText() : null;
            } catch (Exception notJson) {
                return null;
            }
        }
    }

    private APIGatewayV2WebSocketResponse invoke(String routeKey, String eventType, Connection connection,
                                                 WebSocketEvents.Handshake handshake, String body) {
        String stage = handshake == null ? STAGE : handshake.stage();
        return invoke(routeKey, eventType, connection, handshake, body, stage);
    }

    private APIGatewayV2WebSocketResponse invoke(String routeKey, String eventType, Connection connection,
                                                 WebSocketEvents.Handshake handshake, String body, String stage) {
        return invokeEvent(routeKey, event(routeKey, eventType, connection, handshake, body, stage));
    }

    private APIGatewayV2WebSocketEvent event(String routeKey, String eventType, Connection connection,
                                             WebSocketEvents.Handshake handshake, String body, String stage) {
        String host = handshake == null ? "127.0.0.1:" + port() : handshake.host();
        return WebSocketEvents.event(routeKey, eventType, connection, stage, host, handshake, body);
    }

    private APIGatewayV2WebSocketResponse invokeEvent(String routeKey, APIGatewayV2WebSocketEvent event) {
        var handler = routes.route(routeKey);
        if (handler.isEmpty()) {
            // A missing $connect/$disconnect route is allowed by API Gateway: the connection just proceeds.
            APIGatewayV2WebSocketResponse ok = new APIGatewayV2WebSocketResponse();
            ok.setStatusCode(WebSocketRoutes.CONNECT.equals(routeKey) || WebSocketRoutes.DISCONNECT.equals(routeKey) ? 200 : 500);
            return ok;
        }
        try {
            // No Lambda Context, as in the HTTP emulator: Micronaut registers it as a singleton of the shared
            // application context on every call, which concurrent connections contend on (43% of CPU at 500 sessions).
            return handler.get().handleRequest(event, null);
        } catch (RuntimeException e) {
            LOG.error("route {} failed", routeKey, e);
            return null;
        }
    }

    private FullHttpResponse management(FullHttpRequest request, String connectionId) {
        Connection connection = connections.get(connectionId);
        if (connection == null || !connection.channel.isActive()) {
            // The SDKs map the error type header to GoneException; an empty message made the JS SDK v3 report
            // UnknownError.
            return error(HttpResponseStatus.GONE, "GoneException", "GoneException: connection " + connectionId
                    + " is not connected");
        }
        if (request.method().equals(HttpMethod.POST)) {
            ByteBuf data = request.content();
            if (data.readableBytes() > MAX_MESSAGE_BYTES) {
                return error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PayloadTooLargeException", "Message too long");
            }
            // The posted bytes become the frame as they are (no copy, decode and re-encode per delta); a text frame
            // must be UTF-8, so anything else is decoded with replacement characters first, as before.
            ByteBuf payload = ByteBufUtil.isText(data, StandardCharsets.UTF_8) ? data.retainedDuplicate()
                    : Unpooled.copiedBuffer(data.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            if (!send(connection, payload)) {
                return error(HttpResponseStatus.GONE, "GoneException", "GoneException: connection " + connectionId
                        + " was closed: it stopped reading");
            }
            return text(HttpResponseStatus.OK, "");
        }
        if (request.method().equals(HttpMethod.GET)) {
            return text(HttpResponseStatus.OK, json.createObjectNode()
                    .put("connectedAt", connection.connectedAt.toString())
                    .put("lastActiveAt", connection.lastActiveAt.get().toString())
                    .set("identity", json.createObjectNode().put("sourceIp", connection.sourceIp)
                            .put("userAgent", connection.userAgent)).toString());
        }
        if (request.method().equals(HttpMethod.DELETE)) {
            connection.channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            return text(HttpResponseStatus.NO_CONTENT, "");
        }
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "MethodNotAllowedException", "");
    }

    /**
     * ROOM-03 backpressure: a client whose unsent output would pass this is disconnected instead of being buffered
     * for (and slowing) everyone else.
     */
    public static final long MAX_PENDING_OUTPUT_BYTES = 1024 * 1024;

    private static boolean send(Connection connection, String message) {
        return send(connection, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code utf8} (released here) as one text frame.
     *
     * @return false when the client was too far behind and its connection is closed (1008) instead
     */
    private static boolean send(Connection connection, ByteBuf utf8) {
        int size = utf8.readableBytes();
        if (connection.unsentBytes.addAndGet(size) > MAX_PENDING_OUTPUT_BYTES) {
            connection.unsentBytes.addAndGet(-size);
            utf8.release();
            // The close frame would queue behind the unread megabyte, so the socket is closed at once; the client
            // that stopped reading sees the close when it reads again. channelInactive sends the $disconnect.
            connection.channel.eventLoop().execute(() -> {
                connection.channel.writeAndFlush(new CloseWebSocketFrame(1008, "Slow consumer"));
                connection.channel.close();
            });
            return false;
        }
        // Done (or failed) once Netty has handed the frame to the socket: until then it counts as unsent.
        connection.channel.writeAndFlush(new TextWebSocketFrame(utf8))
                .addListener(written -> connection.unsentBytes.addAndGet(-size));
        return true;
    }

    private FullHttpResponse error(HttpResponseStatus status, String type, String message) {
        FullHttpResponse response = text(status, json.createObjectNode().put("message", message).toString());
        response.headers().set("x-amzn-ErrorType", type);
        return response;
    }

    private static final AsciiString REQUEST_ID = AsciiString.cached("x-amzn-RequestId");

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        // AsciiStrings, which Netty copies in bulk (a String is written byte by byte): one answer per post.
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, AsciiString.of(Integer.toString(bytes.length)));
        response.headers().set(REQUEST_ID, AsciiString.of(RequestIds.next()));
        return response;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
        var future = ctx.writeAndFlush(response);
        if (close) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void close() {
        connections.values().forEach(c -> c.channel.close());
        server.close().syncUninterruptibly();
        handshakes.shutdown();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }
}
