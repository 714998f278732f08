package io.tilemud.discord.relay;

import io.micronaut.context.annotation.Requires;
import io.tilemud.discord.DiscordSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The relay's loop on a thread of its own: become the leader (or keep trying every
 * {@link RelaySettings#leaderRetryMillis()}), open the gateway session, then drain the outbox, pausing {@link RelaySettings#pollMillis()}
 * when it is empty. Started by whoever hosts the relay (its {@code main}, or the local stack).
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class RelayRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayRunner.class);
    private final LeaderLock leader;
    private final DiscordRelay relay;
    private final RelayGateway gateway;
    private final RelaySettings settings;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread thread;

    public RelayRunner(LeaderLock leader, DiscordRelay relay, RelayGateway gateway, RelaySettings settings) {
        this.leader = leader;
        this.relay = relay;
        this.gateway = gateway;
        this.settings = settings;
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        thread = Thread.ofPlatform().name("discord-relay").daemon().start(this::loop);
    }

    /** True while this relay holds the leader lock. */
    public boolean leading() {
        return leader.holds();
    }

    private void loop() {
        while (running.get()) {
            try {
                if (!leader.tryAcquire()) {
                    // Lost (or never had) the lock: another relay holds the gateway, so this one must not.
                    gateway.stop();
                    Thread.sleep(settings.leaderRetryMillis());
                    continue;
                }
                gateway.start();
                if (relay.drainOnce() == 0) {
                    Thread.sleep(settings.pollMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("discord relay round failed; next round in {} ms", settings.pollMillis(), e);
                try {
                    Thread.sleep(settings.pollMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    @PreDestroy
    public void close() {
        running.set(false);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        gateway.stop();
        leader.release();
    }
}
