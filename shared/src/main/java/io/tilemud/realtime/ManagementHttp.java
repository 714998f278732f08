package io.tilemud.realtime;

import io.micronaut.core.annotation.Nullable;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The management API's HTTP/1.1 client: Netty with one fixed pipeline per connection and a bounded pool of keep-alive
 * connections to one endpoint (TLS with host name verification where it is https), on one event loop thread.
 *
 * <p>Why not the SDK's Netty client any more: used directly it still adapted each request to a reactive stream,
 * re-parsed its URI twice, and added and removed pipeline handlers and timeout tasks per request; its layers were
 * ~20 % of the stack's CPU at 500 moves/s with ~7.5 posts per move. Here a request is one write of a full request and
 * one aggregated response, correlated by the connection it went out on (one exchange per connection at a time).
 *
 * <p>Every exchange ends within its timeout, counted from {@link #send} (waiting for a connection included): with an
 * answer, or failed with the cause (connect refused, TLS, closed before the answer, {@link TimeoutException}). A
 * connection that failed or timed out is closed, never reused. Thread safe.
 */
final class ManagementHttp implements AutoCloseable {
    private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf(ManagementHttp.class, "exchange");
    /** {@link System#nanoTime()} of a pooled connection's last answer. */
    static final AttributeKey<Long> LAST_ANSWER = AttributeKey.valueOf(ManagementHttp.class, "lastAnswer");

    /**
     * @param maxConnections at most this many exchanges at once; the rest wait for a connection
     * @param timeout        each exchange's bound, from the call to the answer
     * @param idle           a pooled connection unused this long is closed, before the server drops it under us
     * @param maxBodyBytes   how much of an answer's body is kept (the management API answers errors with a short one)
     */
    record Limits(int maxConnections, Duration connectTimeout, Duration timeout, Duration idle, int maxBodyBytes) {
    }

    /** A finished exchange: the status, API Gateway's {@code x-amzn-ErrorType} (blank if absent) and the body. */
    record Response(int status, String errorType, String body) {
    }

    private final EventLoopGroup group;
    /** The group's only thread. */
    private final EventLoop loop;
    private final FixedChannelPool pool;
    /** Header names as sent, each made once: a client sends the same few. */
    private final Map<String, AsciiString> names = new ConcurrentHashMap<>();
    private final long timeoutNanos;
    private final int maxBodyBytes;

    ManagementHttp(String host, int port, @Nullable SslContext tls, Limits limits) {
        this.timeoutNanos = limits.timeout().toNanos();
        this.maxBodyBytes = limits.maxBodyBytes();
        // One thread does the I/O of every post: a Lambda container has one or two vCPUs.
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tilemud-management", true),
                NioIoHandler.newFactory());
        this.loop = group.next();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                // Unresolved: each new connection looks the name up again, as an AWS endpoint's addresses change.
                .remoteAddress(InetSocketAddress.createUnresolved(host, port))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        ChannelHandler answers = new Answers();
        long idleMillis = limits.idle().toMillis();
        long idleNanos = limits.idle().toNanos();
        // Idle connections are closed by their IdleStateHandler, but a frozen Lambda runs no timers: after a thaw a
        // connection the server dropped long ago could be handed out before that task runs. So age is checked too.
        ChannelHealthChecker fresh = ch -> ch.eventLoop().newSucceededFuture(usable(ch, System.nanoTime(), idleNanos));
        this.pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                        new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS), answers);
            }
        }, fresh, FixedChannelPool.AcquireTimeoutAction.FAIL, limits.timeout().toMillis(),
                limits.maxConnections(), 100_000, true, true);
    }

    /**
     * One request.
     *
     * @param headers every header it carries ({@code host} among them: it is signed, so sent as signed), each name
     *                once; {@code content-length} is set here
     */
    record Request(HttpMethod method, String path, Map<String, String> headers, byte[] body) {
    }

    CompletableFuture<Response> send(Request request) {
        return sendAll(List.of(request)).getFirst();
    }

    /**
     * Every request in flight at once, each with its own answer, in the order given, and its own timeout from now.
     * They reach the event loop as one task: the group's one thread is the pool's and every connection's, so there
     * the pool's acquire, its listener and the write all run inline. Called from the handler's thread, each post hopped
     * to that thread twice (the acquire, then the listener on a future already done): two queued tasks per post,
     * ~3 % of the stack JVM's samples at 500 moves/s; now one task per fan-out. The wake-up of a loop found asleep
     * stays (one per hand-off either way) and is most of what the caller's side still costs.
     */
    List<CompletableFuture<Response>> sendAll(List<Request> requests) {
        if (requests.isEmpty()) {
            return List.of(); // nothing to wake the loop for
        }
        long deadline = System.nanoTime() + timeoutNanos;
        List<CompletableFuture<Response>> answers = new ArrayList<>(requests.size());
        List<FullHttpRequest> built = new ArrayList<>(requests.size());
        for (Request request : requests) {
            answers.add(new CompletableFuture<>());
            built.add(build(request));
        }
        try {
            loop.execute(() -> {
                for (int i = 0; i < built.size(); i++) {
                    start(requests.get(i), built.get(i), answers.get(i), deadline);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: nothing was sent.
            built.forEach(FullHttpRequest::release);
            answers.forEach(answer -> answer.completeExceptionally(e));
        }
        return answers;
    }

    /**
     * Names and values as AsciiStrings: Netty copies those into the buffer in bulk, but writes a String one byte at a
     * time, and on a direct buffer without Unsafe (JDK 24+) each byte is a bounds- and session-checked put (4.6 % of
     * the stack JVM's samples at 500 moves/s, for the ~600 header bytes of a signed post). A value is made from the
     * String's bytes in one copy ({@code AsciiString.of} converts it char by char), and the few names, each with its
     * hash, once per client. {@code add}, not {@code set}: a map's names are unique, so there is no earlier value to
     * search for and remove.
     */
    private FullHttpRequest build(Request request) {
        FullHttpRequest built = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.path(),
                Unpooled.wrappedBuffer(request.body()));
        HttpHeaders headers = built.headers();
        request.headers().forEach((name, value) -> headers.add(names.computeIfAbsent(name, AsciiString::cached),
                new AsciiString(value.getBytes(StandardCharsets.ISO_8859_1), false)));
        headers.add(HttpHeaderNames.CONTENT_LENGTH, AsciiString.of(Integer.toString(request.body().length)));
        return built;
    }

    /** On the event loop. */
    private void start(Request request, FullHttpRequest built, CompletableFuture<Response> answer, long deadline) {
        pool.acquire().addListener(acquired -> {
            if (!acquired.isSuccess()) {
                built.release();
                answer.completeExceptionally(acquired.cause());
                return;
            }
            Channel channel = (Channel) acquired.getNow();
            Exchange exchange = new Exchange(channel, answer);
            channel.attr(EXCHANGE).set(exchange);
            exchange.timeout = channel.eventLoop().schedule(() -> exchange.fail(new TimeoutException(
                            request.method() + " " + request.path() + " not answered within "
                                    + Duration.ofNanos(timeoutNanos).toMillis() + " ms")),
                    Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            channel.writeAndFlush(built).addListener(written -> {
                if (!written.isSuccess()) {
                    exchange.fail(written.cause());
                }
            });
        });
    }

    /** Open, and answered last less than {@code idleNanos} ago (a new connection has no answer yet). */
    static boolean usable(Channel channel, long nowNanos, long idleNanos) {
        Long last = channel.attr(LAST_ANSWER).get();
        return channel.isActive() && (last == null || nowNanos - last < idleNanos);
    }

    /** One request on one connection. Touched only on that connection's event loop. */
    private final class Exchange {
        private final Channel channel;
        private final CompletableFuture<Response> answer;
        private ScheduledFuture<?> timeout;
        private boolean finished;

        Exchange(Channel channel, CompletableFuture<Response> answer) {
            this.channel = channel;
            this.answer = answer;
        }

        void answered(Response response, boolean keepAlive) {
            if (end()) {
                if (!keepAlive) {
                    channel.close();
                }
                channel.attr(LAST_ANSWER).set(System.nanoTime());
                // Back in the pool before the caller hears of it, so its next post can take this connection.
                pool.release(channel);
                answer.complete(response);
            }
        }

        void fail(Throwable cause) {
            if (end()) {
                // Whatever state it is in (half a request written, an answer still coming), it is not reusable.
                channel.close();
                pool.release(channel);
                answer.completeExceptionally(cause);
            }
        }

        private boolean end() {
            if (finished) {
                return false;
            }
            finished = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            channel.attr(EXCHANGE).set(null);
            return true;
        }
    }

    /** The end of every connection's pipeline: answers, failures and idleness, told to the exchange in progress. */
    @ChannelHandler.Sharable
    private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange == null) {
                // An answer nobody asked for (e.g. after a timeout): the connection's framing can't be trusted.
                ctx.close();
                return;
            }
            String errorType = response.headers().get("x-amzn-ErrorType", "");
            int length = Math.min(maxBodyBytes, response.content().readableBytes());
            String body = response.content().toString(response.content().readerIndex(), length, StandardCharsets.UTF_8);
            exchange.answered(new Response(response.status().code(), errorType, body), HttpUtil.isKeepAlive(response));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange != null) {
                exchange.fail(cause);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange != null) {
                exchange.fail(new IOException("connection closed before the answer"));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent && ctx.channel().attr(EXCHANGE).get() == null) {
                // Idle in the pool: the health check on the next acquire finds it closed and opens another.
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }
    }

    /**
     * TLS as a client: host name verification on, and the JDK's trust store unless {@code trusted} names the only
     * certificates to trust (tests).
     */
    static SslContext tls(X509Certificate... trusted) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (trusted.length > 0) {
                builder.trustManager(trusted);
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client", e);
        }
    }

    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return; // closed already: the pool's close would be refused by the stopped loop
        }
        pool.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
