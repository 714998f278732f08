package io.tilemud.localstack.http;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tilemud.contract.HttpApiCors;
import io.tilemud.embedded.DevIdentityProvider;
import io.tilemud.localstack.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API Gateway HTTP API on 127.0.0.1: every request becomes a payload-2.0 event for the same handler class Lambda
 * runs. Routes other than {@link #publicRoutes} sit behind the JWT authorizer, which, as in AWS, answers
 * {@code 401 {"message":"Unauthorized"}} itself when the token is missing or invalid. Bodies over API Gateway's
 * 10 MB limit get 413.
 */
public final class HttpApiEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiEmulator.class);
    /** API Gateway HTTP API's payload limit. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    /** API Gateway's response header naming the request; the same id is the event's {@code requestContext.requestId}. */
    static final String REQUEST_ID_HEADER = "apigw-requestid";
    static final String INVOCATION_THREAD_PREFIX = "http-invocation-";
    /** Lambda's default concurrency limit per account and region. */
    public static final int LAMBDA_CONCURRENCY = 1_000;
    /** How long an idle environment stays warm (Lambda keeps one for minutes; the exact figure is unpublished). */
    static final Duration ENVIRONMENT_IDLE = Duration.ofMinutes(1);

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    // Handlers block on JDBC and Redis: they run in execution environments (reused, named threads, as
    // Lambda's are), never on Netty's event loops.
    private final ExecutionEnvironments invocations;
    private final ThrottleLog throttles = new ThrottleLog(LOG, Duration.ofSeconds(1), System::nanoTime);
    private final Channel channel;

    private HttpApiEmulator(int port, int concurrency, ChannelInitializer<SocketChannel> initializer)
            throws InterruptedException {
        this.invocations = new ExecutionEnvironments(INVOCATION_THREAD_PREFIX, concurrency, ENVIRONMENT_IDLE);
        this.channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind("127.0.0.1", port).sync().channel();
    }

    /**
     * @param publicRoutes "METHOD /path" pairs that have no authorizer (health, version)
     * @param webClientConfig the web client's generated {@code config.json}, served with the client under /play/
     * @param metrics the Prometheus scrape served at {@code /dev/metrics}, if any
     */
    public static HttpApiEmulator start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function,
                                        DevIdentityProvider identity, Set<String> publicRoutes, String webClientConfig,
                                        Optional<java.util.function.Supplier<String>> metrics)
            throws InterruptedException {
        return start(port, function, identity, publicRoutes, webClientConfig, metrics, LAMBDA_CONCURRENCY);
    }

    /** @param concurrency the function's concurrency limit: past it, requests are throttled ({@code 500}, as in AWS) */
    public static HttpApiEmulator start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function,
                                        DevIdentityProvider identity, Set<String> publicRoutes, String webClientConfig,
                                        Optional<java.util.function.Supplier<String>> metrics, int concurrency)
            throws InterruptedException {
        JwtAuthorizer authorizer = new JwtAuthorizer(identity);
        DevIdentityRoutes dev = new DevIdentityRoutes(identity, "http://127.0.0.1:" + port, metrics);
        StaticFiles files = new StaticFiles(HttpApiEmulator.class.getClassLoader(), webClientConfig);
        Cors cors = new Cors(HttpApiCors.DEFAULT_ALLOW_ORIGINS);
        HttpApiEmulator[] self = new HttpApiEmulator[1];
        self[0] = new HttpApiEmulator(port, concurrency, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerExpectContinueHandler())
                        .addLast(new PayloadLimit(MAX_PAYLOAD_BYTES))
                        .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                // One id per request, in the event and on the answer, as API Gateway gives it.
                                String requestId = RequestIds.next();
                                FullHttpRequest retained = request.retainedDuplicate();
                                boolean invoked = self[0].invocations.invoke(() -> {
                                    try {
                                        FullHttpResponse response;
                                        try {
                                            response = route(ctx, retained, requestId, function, authorizer, dev,
                                                    files, cors, publicRoutes);
                                        } catch (RuntimeException e) {
                                            // Never leave a client without an answer (a bad escape once hung it).
                                            LOG.error("request {} {} failed", retained.method(), retained.uri(), e);
                                            response = internalError();
                                        }
                                        respond(ctx, retained, requestId, cors.decorate(retained, response));
                                    } finally {
                                        retained.release();
                                    }
                                });
                                if (!invoked) {
                                    // Throttled: API Gateway answers 500 when Lambda refuses an invocation.
                                    self[0].throttles.throttled(retained.method().name(),
                                            new QueryStringDecoder(retained.uri()).rawPath(), concurrency);
                                    try {
                                        respond(ctx, retained, requestId, cors.decorate(retained, internalError()));
                                    } finally {
                                        retained.release();
                                    }
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
            }
        });
        return self[0];
    }

    private static FullHttpResponse route(ChannelHandlerContext ctx, FullHttpRequest request, String requestId,
                                          RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function,
                                          JwtAuthorizer authorizer, DevIdentityRoutes dev, StaticFiles files, Cors cors,
                                          Set<String> publicRoutes) {
        if (!request.decoderResult().isSuccess()) {
            return HttpEventMapper.json(HttpResponseStatus.BAD_REQUEST, ApiGatewayErrors.badRequest("malformed HTTP request"));
        }
        String path;
        try {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            path = uri.path();
            uri.parameters(); // decodes the query: a bad escape there is the same 400
        } catch (IllegalArgumentException badEscape) {
            // API Gateway refuses an undecodable URI itself, before any authorizer or integration.
            return HttpEventMapper.json(HttpResponseStatus.BAD_REQUEST, ApiGatewayErrors.badRequest(
                    "malformed percent-encoding in the URI"));
        }
        Optional<FullHttpResponse> preflight = cors.preflight(request);
        if (preflight.isPresent()) {
            return preflight.get();
        }
        Optional<FullHttpResponse> file = files.handle(request, path);
        if (file.isPresent()) {
            return file.get();
        }
        Optional<FullHttpResponse> devResponse = dev.handle(request);
        if (devResponse.isPresent()) {
            return devResponse.get();
        }
        String route = request.method().name() + " " + path;
        Map<String, String> claims = null;
        if (!publicRoutes.contains(route)) {
            Optional<Map<String, String>> authorized = authorizer.authorize(request.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (authorized.isEmpty()) {
                FullHttpResponse unauthorized = HttpEventMapper.json(HttpResponseStatus.UNAUTHORIZED, ApiGatewayErrors.UNAUTHORIZED);
                unauthorized.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                return unauthorized;
            }
            claims = authorized.get();
        }
        try {
            var event = HttpEventMapper.toEvent(request, (InetSocketAddress) ctx.channel().remoteAddress(),
                    requestId, claims);
            // No Lambda Context: Micronaut registers the Context as a singleton of the application context on each
            // call. That is right in Lambda (one request per container at a time) but, in one shared context serving
            // concurrent requests, makes requests contend and see each other's Context.
            return HttpEventMapper.toHttp(function.handleRequest(event, null));
        } catch (RuntimeException e) {
            LOG.error("handler failed for {}", route, e);
            return internalError();
        }
    }

    /** What API Gateway answers when the integration fails or Lambda throttles it. */
    private static FullHttpResponse internalError() {
        return HttpEventMapper.json(HttpResponseStatus.INTERNAL_SERVER_ERROR, ApiGatewayErrors.INTERNAL);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, String requestId,
                                FullHttpResponse response) {
        response.headers().set(REQUEST_ID_HEADER, requestId);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        invocations.close();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }
}
