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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
    static final String INVOCATION_THREAD_PREFIX = "http-invocation-";

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    // Handlers block on JDBC and Redis: they run on virtual threads, never on Netty's event loops. Named, as Lambda's
    // handler thread is: on an unnamed virtual thread Logback looks up every event's thread name by reflection
    // (LoggingEvent.getVirtualThreadId, 12.6 % of the admission route's samples in issue 15's profile).
    private final ExecutorService invocations = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name(INVOCATION_THREAD_PREFIX, 0).factory());
    private final Channel channel;

    private HttpApiEmulator(int port, ChannelInitializer<SocketChannel> initializer) throws InterruptedException {
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
        JwtAuthorizer authorizer = new JwtAuthorizer(identity);
        DevIdentityRoutes dev = new DevIdentityRoutes(identity, "http://127.0.0.1:" + port, metrics);
        StaticFiles files = new StaticFiles(HttpApiEmulator.class.getClassLoader(), webClientConfig);
        Cors cors = new Cors(HttpApiCors.DEFAULT_ALLOW_ORIGINS);
        HttpApiEmulator[] self = new HttpApiEmulator[1];
        self[0] = new HttpApiEmulator(port, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerExpectContinueHandler())
                        .addLast(new PayloadLimit(MAX_PAYLOAD_BYTES))
                        .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                FullHttpRequest retained = request.retainedDuplicate();
                                self[0].invocations.execute(() -> {
                                    try {
                                        FullHttpResponse response;
                                        try {
                                            response = route(ctx, retained, function, authorizer, dev, files, cors,
                                                    publicRoutes);
                                        } catch (RuntimeException e) {
                                            // Never leave a client without an answer (a bad escape once hung it).
                                            LOG.error("request {} {} failed", retained.method(), retained.uri(), e);
                                            response = HttpEventMapper.json(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                                    ApiGatewayErrors.INTERNAL);
                                        }
                                        respond(ctx, retained, cors.decorate(retained, response));
                                    } finally {
                                        retained.release();
                                    }
                                });
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

    private static FullHttpResponse route(ChannelHandlerContext ctx, FullHttpRequest request,
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
            var event = HttpEventMapper.toEvent(request, (InetSocketAddress) ctx.channel().remoteAddress(), claims);
            // No Lambda Context: Micronaut registers the Context as a singleton of the application context on each
            // call. That is right in Lambda (one request per container at a time) but, in one shared context serving
            // concurrent requests, makes requests contend and see each other's Context.
            return HttpEventMapper.toHttp(function.handleRequest(event, null));
        } catch (RuntimeException e) {
            // What API Gateway answers when the integration fails.
            LOG.error("handler failed for {}", route, e);
            return HttpEventMapper.json(HttpResponseStatus.INTERNAL_SERVER_ERROR, ApiGatewayErrors.INTERNAL);
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
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
        invocations.shutdown();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }
}
