package io.tilemud.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tilemud.contract.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns secret ARNs from the environment into the properties they stand for: the RDS secret's username and
 * password, the Redis AUTH token folded into the Redis URL, and the room invite key. Pure: the secret lookup is passed in, so it can be
 * tested without AWS.
 */
public final class SecretProperties {
    private SecretProperties() {
    }

    /**
     * @param environment the process environment
     * @param secretValue secret ARN → secret string
     * @return properties to add; empty when no secret ARN is configured
     */
    public static Map<String, Object> resolve(Map<String, String> environment, Function<String, String> secretValue) {
        Map<String, Object> properties = new HashMap<>();
        String dbSecret = environment.get(Environment.DB_SECRET_ARN);
        if (dbSecret != null && !dbSecret.isBlank()) {
            Map<String, String> credentials = jsonStrings(secretValue.apply(dbSecret));
            putIfPresent(properties, "datasources.default.username", credentials.get("username"));
            putIfPresent(properties, "datasources.default.password", credentials.get("password"));
        }
        String redisSecret = environment.get(Environment.REDIS_AUTH_SECRET_ARN);
        String redisUrl = environment.get(Environment.REDIS_URL);
        if (redisSecret != null && !redisSecret.isBlank() && redisUrl != null && !redisUrl.isBlank()) {
            properties.put("redis.uri", withPassword(redisUrl, secretValue.apply(redisSecret)));
        }
        String inviteSecret = environment.get(Environment.ROOMS_INVITE_SECRET_ARN);
        if (inviteSecret != null && !inviteSecret.isBlank()) {
            putIfPresent(properties, "tilemud.rooms.invite-key", secretValue.apply(inviteSecret));
        }
        String discordSecret = environment.get(Environment.DISCORD_SECRET_ARN);
        if (discordSecret != null && !discordSecret.isBlank()) {
            Map<String, String> discord = jsonStrings(secretValue.apply(discordSecret));
            putIfPresent(properties, "tilemud.discord.bot-token", discord.get("botToken"));
            putIfPresent(properties, "tilemud.discord.client-secret", discord.get("clientSecret"));
        }
        return properties;
    }

    /** {@code rediss://host:6379} + token → {@code rediss://:token@host:6379} (the token URL-encoded). */
    static String withPassword(String redisUrl, String token) {
        URI uri = URI.create(redisUrl);
        String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20");
        String rest = redisUrl.substring(redisUrl.indexOf("://") + 3);
        if (uri.getRawUserInfo() != null) {
            rest = rest.substring(rest.indexOf('@') + 1);
        }
        return uri.getScheme() + "://:" + encoded + "@" + rest;
    }

    private static void putIfPresent(Map<String, Object> properties, String key, String value) {
        if (value != null && !value.isEmpty()) {
            properties.put(key, value);
        }
    }

    /** The top-level string fields of a JSON object (RDS secrets are flat). */
    private static Map<String, String> jsonStrings(String json) {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("database secret is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else {
                    fields.put(name, parser.getValueAsString());
                }
            }
            return fields;
        } catch (IOException e) {
            throw new UncheckedIOException("database secret is not valid JSON", e);
        }
    }
}
