package io.tilemud.functions.discord;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.tilemud.discord.DiscordOAuth;
import io.tilemud.discord.HttpDiscordOAuth;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's side of the code exchange, for the handler tests of this module: a code names who it belongs to. The
 * real {@link HttpDiscordOAuth} is tested against the fake Discord in {@code discord-relay}.
 */
@Singleton
@Replaces(HttpDiscordOAuth.class)
@Requires(property = "tilemud.test.scripted-oauth", value = "true")
public class ScriptedOAuth implements DiscordOAuth {
    final Map<String, Identity> codes = new ConcurrentHashMap<>();

    @Override
    public Identity identify(String code) {
        return codes.getOrDefault(code, new Refused("invalid_grant", false));
    }
}
