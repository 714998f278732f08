package io.tilemud.discord.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.tilemud.contract.MetricNames;
import io.tilemud.discord.DiscordSettings;
import io.tilemud.discord.gateway.ExecutorGatewayScheduler;
import io.tilemud.discord.gateway.GatewayClient;
import io.tilemud.discord.gateway.GatewayDispatch;
import io.tilemud.discord.gateway.GatewayIntents;
import io.tilemud.discord.gateway.GatewayListener;
import io.tilemud.discord.gateway.GatewaySettings;
import io.tilemud.discord.gateway.GatewayState;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The relay's gateway session (DSC-02): a {@link GatewayClient} whose dispatches go, in order, to
 * {@link GatewayEvents} on a thread of their own (the client's listener must return at once: a slow database write
 * must not delay heartbeats). Only the leader holds it ({@link RelayRunner}). A fatal close or exhausted reconnects
 * count {@link MetricNames#DISCORD_GATEWAY_ALERTS} — the CDK alarm — and leave the client stopped for an operator.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class RelayGateway implements GatewayListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayGateway.class);
    private final DiscordSettings settings;
    private final RelaySettings relay;
    private final GatewayEvents events;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final ExecutorService inbox = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("discord-gateway-inbox").daemon().factory());
    private ExecutorGatewayScheduler scheduler;
    private GatewayClient client;

    public RelayGateway(DiscordSettings settings, RelaySettings relay, GatewayEvents events, MeterRegistry metrics,
                        Clock clock) {
        this.settings = settings;
        this.relay = relay;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Opens the session unless one is open (or stopped for an operator); idempotent. */
    public synchronized void start() {
        if (client != null) {
            return;
        }
        scheduler = new ExecutorGatewayScheduler("discord-gateway");
        client = new GatewayClient(new GatewaySettings(URI.create(settings.gatewayUrl()), settings.botToken(),
                GatewayIntents.RELAY, Duration.ofMillis(relay.gatewayReconnectBaseMillis()),
                GatewaySettings.DEFAULT_MAX_RECONNECT_ATTEMPTS), HttpClient.newHttpClient(), clock, scheduler, this);
        client.start();
        LOG.info("discord gateway starting");
    }

    /** Closes the session (this relay stopped leading); a later {@link #start()} opens a new one. */
    public synchronized void stop() {
        if (client != null) {
            client.close();
            scheduler.close();
            client = null;
            scheduler = null;
        }
    }

    public synchronized GatewayState state() {
        return client == null ? GatewayState.CLOSED : client.state();
    }

    /** The session's last sequence number (0 before READY): kept across resumes. */
    public synchronized long lastSequence() {
        return client == null ? 0 : client.lastSequence();
    }

    @Override
    public void onDispatch(GatewayDispatch dispatch) {
        inbox.execute(() -> events.onDispatch(dispatch.type(), dispatch.data()));
    }

    @Override
    public void onStateChange(GatewayState state) {
        LOG.info("discord gateway {}", state);
    }

    @Override
    public void onFatalClose(int closeCode, String reason) {
        LOG.error("discord gateway closed with fatal code {} ({}): fix the bot token or intents", closeCode, reason);
        metrics.counter(MetricNames.DISCORD_GATEWAY_ALERTS, "reason", "fatal_close").increment();
    }

    @Override
    public void onReconnectsExhausted(int attempts) {
        LOG.error("discord gateway gave up after {} reconnects", attempts);
        metrics.counter(MetricNames.DISCORD_GATEWAY_ALERTS, "reason", "reconnects_exhausted").increment();
    }

    @Override
    @PreDestroy
    public void close() {
        stop();
        inbox.shutdownNow();
    }
}
