package io.tilemud.localstack;

import io.micronaut.context.ApplicationContext;
import io.tilemud.discord.fake.FakeDiscord;
import io.tilemud.discord.relay.GatewayEvents;
import io.tilemud.discord.relay.RelayRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --fake-discord}: Discord voice for rooms on a developer machine. The fake Discord runs beside the stack, the
 * relay runs in-process against it, configured exactly as in AWS but for the URLs (no {@code if (local)} below
 * this class). Until the gateway client lands, the fake's dispatches reach the relay's {@link GatewayEvents}
 * directly, in-process.
 */
public final class LocalDiscord implements AutoCloseable {
    /** Not a secret: the fake accepts only this token, and nothing talks to the real Discord. */
    static final String BOT_TOKEN = "local-fake-discord-bot-token";
    static final String GUILD_ID = "900000000000000001";

    private final FakeDiscord fake;
    private final RelayRunner relay;

    private LocalDiscord(FakeDiscord fake, RelayRunner relay) {
        this.fake = fake;
        this.relay = relay;
    }

    static FakeDiscord startFake(int port) {
        try {
            return FakeDiscord.start("127.0.0.1", port, BOT_TOKEN, GUILD_ID, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("fake Discord could not listen on 127.0.0.1:" + port, e);
        }
    }

    /** The Discord part of the configuration (the same keys AWS sets from its environment and secret). */
    static Map<String, Object> properties(FakeDiscord fake, String base) {
        Map<String, Object> p = new HashMap<>();
        p.put("tilemud.discord.bot-token", BOT_TOKEN);
        p.put("tilemud.discord.guild-id", fake.guildId());
        p.put("tilemud.discord.api-base-url", fake.apiBaseUrl().toString());
        p.put("tilemud.discord.client-id", "local-client");
        p.put("tilemud.discord.client-secret", "local-client-secret");
        p.put("tilemud.discord.redirect-uri", base + "/play/");
        p.put("tilemud.discord.channel-link-base", fake.baseUrl() + "/channels");
        return p;
    }

    static LocalDiscord wire(FakeDiscord fake, ApplicationContext context) {
        GatewayEvents events = context.getBean(GatewayEvents.class);
        fake.onDispatch(events::onDispatch);
        RelayRunner relay = context.getBean(RelayRunner.class);
        relay.start();
        return new LocalDiscord(fake, relay);
    }

    public FakeDiscord fake() {
        return fake;
    }

    public RelayRunner relay() {
        return relay;
    }

    @Override
    public void close() {
        relay.close();
        fake.close();
    }
}
