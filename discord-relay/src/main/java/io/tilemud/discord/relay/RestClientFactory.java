package io.tilemud.discord.relay;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.tilemud.discord.DiscordSettings;
import io.tilemud.discord.rest.DiscordRestClient;
import io.tilemud.discord.rest.RateLimits;
import io.tilemud.discord.rest.RestSettings;
import io.tilemud.discord.rest.Sleeper;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** One REST client and one set of rate limits per relay process: Discord counts per bot token. */
@Factory
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class RestClientFactory {

    @Singleton
    RateLimits rateLimits(Clock clock, RestSettings settings) {
        return new RateLimits(clock, settings.globalPerSecond());
    }

    @Singleton
    DiscordRestClient discordRestClient(DiscordSettings discord, RestSettings settings, RateLimits limits, Sleeper sleeper) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(settings.requestTimeoutMillis())).build();
        return new DiscordRestClient(discord.apiBaseUrl(), discord.botToken(), http, limits, sleeper, settings);
    }
}
