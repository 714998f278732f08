package io.tilemud.cache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * The process's single Redis connection, opened lazily and reopened after an outage, behind one circuit breaker.
 *
 * <p>Why not inject Micronaut's {@code StatefulRedisConnection} bean: it connects eagerly and fails bean creation
 * when Redis is down, while the product must keep answering (SERVICE_DEGRADED, RT-07).
 *
 * <p>Why a circuit breaker (issue 11): a Redis that is stalled rather than gone (SIGSTOP, a hung node, a partition)
 * keeps its socket open, so every command waited out the whole command timeout — 2 s per intent. Once
 * {@code minimumCalls} of the recent calls failed, the breaker opens and every call fails at once with
 * {@link CacheCircuitOpenException} (microseconds) for {@code openFor}; then a few probe calls go through, and
 * success closes it again — recovery without a restart. Resilience4j's rather than Micronaut's
 * {@code @CircuitBreaker} (micronaut-retry): that one is AOP advice that retries before it opens, its window is
 * "N attempts" rather than a failure rate, and it exposes no state, while {@code /health} must report an open breaker
 * as cache DOWN and tests drive its clock. Only failures of Redis itself count: an error reply from a live server
 * (a script bug, NOSCRIPT) does not open the breaker. Thread-safe; Lettuce connections are multiplexed.
 */
@Singleton
public class CacheConnection implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(CacheConnection.class);

    private final RedisClient client;
    private final CircuitBreaker breaker;
    private volatile StatefulRedisConnection<String, String> connection;

    public CacheConnection(RedisClient client, CacheSettings settings, Clock clock) {
        this.client = client;
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
                // While disconnected, commands fail at once instead of queueing for the reconnect.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build());
        this.breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.windowCalls())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.probeCalls())
                .recordException(CacheConnection::isOutage)
                .clock(clock)
                .build());
        breaker.getEventPublisher().onStateTransition(event ->
                LOG.warn("redis circuit breaker {}", event.getStateTransition()));
    }

    /** A failure that says Redis cannot answer; an error reply proves it is alive. */
    static boolean isOutage(Throwable failure) {
        return failure instanceof RedisException && !(failure instanceof RedisCommandExecutionException);
    }

    /**
     * Connects during start-up (the Lambda init phase) so the first request does not pay for Netty's bootstrap.
     * A cache that is down at start is not fatal: calls try again through the breaker.
     */
    @Override
    public void onApplicationEvent(StartupEvent event) {
        try {
            call(redis -> null);
        } catch (RedisException downAtStart) {
            LOG.warn("redis unreachable at start-up: {}", downAtStart.toString());
        }
    }

    /**
     * Runs {@code command} on the shared connection through the breaker.
     *
     * @throws CacheCircuitOpenException while the breaker is open (at once, nothing sent)
     * @throws RedisException            when Redis cannot be reached or answers an error
     */
    public <T> T call(Function<RedisCommands<String, String>, T> command) {
        try {
            return breaker.executeSupplier(() -> command.apply(connected().sync()));
        } catch (CallNotPermittedException open) {
            throw new CacheCircuitOpenException(open);
        }
    }

    /** True while the breaker lets calls through (closed or probing): {@code /health} reports an open one as DOWN. */
    public boolean available() {
        return breaker.getState() != CircuitBreaker.State.OPEN && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
    }

    /** The breaker's state, for logs and tests. */
    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /**
     * The open connection, or empty while Redis cannot be reached — bypassing the breaker: for tests that inspect
     * Redis directly. Production code uses {@link #call}.
     */
    public Optional<StatefulRedisConnection<String, String>> current() {
        try {
            return Optional.of(connected());
        } catch (RedisException unreachable) {
            return Optional.empty();
        }
    }

    private StatefulRedisConnection<String, String> connected() {
        StatefulRedisConnection<String, String> open = connection;
        return open != null ? open : connect();
    }

    private synchronized StatefulRedisConnection<String, String> connect() {
        if (connection == null) {
            connection = client.connect();
        }
        return connection;
    }

    @PreDestroy
    void close() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.close();
        }
    }
}
