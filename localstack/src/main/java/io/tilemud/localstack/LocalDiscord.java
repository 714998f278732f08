package io.tilemud.localstack;

import io.micronaut.context.ApplicationContext;
import io.tilemud.discord.fake.FakeDiscord;
import io.tilemud.discord.gateway.fake.FakeGateway;
import io.tilemud.discord.relay.RelayRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --fake-discord}: Discord voice for rooms on a developer machine. The fake Discord (REST on the given port)
 * and its fake gateway (WebSocket, any free port) run beside the stack; what happens in the fake
 * ({@code /dev/discord/voice}, {@code /dev/discord/message}) becomes gateway dispatches, which the relay — in-process,
 * configured exactly as in AWS but for the URLs, no {@code if (local)} below this class — receives over its real
 * gateway session.
 */
public final class LocalDiscord implements AutoCloseable {
    /** Not a secret: the fake accepts only this token, and nothing talks to the real Discord. */
    static final String BOT_TOKEN = "local-fake-discord-bot-token";
    static final String GUILD_ID = "900000000000000001";

    private final Fakes fakes;
    private final RelayRunner relay;

    /** The fake Discord and its gateway, composed: the fake's events are dispatched through the gateway. */
    record Fakes(FakeDiscord rest, FakeGateway gateway) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            rest.close();
        }
    }

    private LocalDiscord(Fakes fakes, RelayRunner relay) {
        this.fakes = fakes;
        this.relay = relay;
    }

    static Fakes startFake(int port) {
        FakeDiscord rest;
        try {
            rest = FakeDiscord.start("127.0.0.1", port, BOT_TOKEN, GUILD_ID, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("fake Discord could not listen on 127.0.0.1:" + port, e);
        }
        try {
            FakeGateway gateway = FakeGateway.start("127.0.0.1", 0);
            rest.onDispatch(gateway::dispatch);
            return new Fakes(rest, gateway);
        } catch (RuntimeException e) {
            rest.close();
            throw e;
        }
    }

    /** The Discord part of the configuration (the same keys AWS sets from its environment and secret). */
    static Map<String, Object> properties(Fakes fakes, String base) {
        FakeDiscord fake = fakes.rest();
        Map<String, Object> p = new HashMap<>();
        p.put("tilemud.discord.gateway-url", fakes.gateway().url().toString());
        p.put("tilemud.discord.bot-token", BOT_TOKEN);
        p.put("tilemud.discord.guild-id", fake.guildId());
        p.put("tilemud.discord.api-base-url", fake.apiBaseUrl().toString());
        p.put("tilemud.discord.client-id", "local-client");
        p.put("tilemud.discord.client-secret", "local-client-secret");
        p.put("tilemud.discord.redirect-uri", base + "/play/");
        p.put("tilemud.discord.channel-link-base", fake.baseUrl() + "/channels");
        return p;
    }

    static LocalDiscord wire(Fakes fakes, ApplicationContext context) {
        RelayRunner relay = context.getBean(RelayRunner.class);
        relay.start();
        return new LocalDiscord(fakes, relay);
    }

    public FakeDiscord fake() {
        return fakes.rest();
    }

    public FakeGateway gateway() {
        return fakes.gateway();
    }

    public RelayRunner relay() {
        return relay;
    }

    @Override
    public void close() {
        relay.close();
        fakes.close();
    }
}
