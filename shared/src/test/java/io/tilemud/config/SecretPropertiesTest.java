package io.tilemud.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Secrets Manager is outside the system: its answers are given as a function here. */
class SecretPropertiesTest {

    @Test
    void resolve_noSecretArns_addsNothingAndCallsNothing() {
        Map<String, Object> properties = SecretProperties.resolve(Map.of("TILEMUD_REDIS_URL", "redis://h:6379"),
                arn -> fail("no secret should be read"));

        assertTrue(properties.isEmpty());
    }

    @Test
    void resolve_rdsSecret_usernameAndPasswordFromItsJson() {
        Map<String, Object> properties = SecretProperties.resolve(Map.of("TILEMUD_DB_SECRET_ARN", "arn:db"),
                arn -> {
                    assertEquals("arn:db", arn);
                    return "{\"username\":\"tilemud\",\"password\":\"p@ss:w/rd\",\"host\":\"db\",\"port\":5432,\"engine\":\"postgres\"}";
                });

        assertEquals("tilemud", properties.get("datasources.default.username"));
        assertEquals("p@ss:w/rd", properties.get("datasources.default.password"));
    }

    @Test
    void resolve_discordSecret_botTokenAndClientSecretFromItsJson() {
        Map<String, Object> properties = SecretProperties.resolve(Map.of("TILEMUD_DISCORD_SECRET_ARN", "arn:discord"),
                arn -> {
                    assertEquals("arn:discord", arn);
                    return "{\"botToken\":\"MTI.bot.token\",\"clientSecret\":\"oauth-secret\"}";
                });

        assertEquals("MTI.bot.token", properties.get("tilemud.discord.bot-token"));
        assertEquals("oauth-secret", properties.get("tilemud.discord.client-secret"));
        assertEquals(2, properties.size());
    }

    @Test
    void resolve_redisAuthSecret_tokenFoldedIntoUrlEncoded() {
        Map<String, Object> properties = SecretProperties.resolve(Map.of(
                "TILEMUD_REDIS_URL", "rediss://cache.example:6379",
                "TILEMUD_REDIS_AUTH_SECRET_ARN", "arn:redis"), arn -> "t0k/en+with@odd chars");

        assertEquals("rediss://:t0k%2Fen%2Bwith%40odd%20chars@cache.example:6379", properties.get("redis.uri"));
    }

    @Test
    void resolve_roomInviteSecret_becomesTheInviteKey() {
        Map<String, Object> properties = SecretProperties.resolve(Map.of(
                "TILEMUD_ROOMS_INVITE_SECRET_ARN", "arn:invites"), arn -> {
                    assertEquals("arn:invites", arn);
                    return "k".repeat(64);
                });

        assertEquals("k".repeat(64), properties.get("tilemud.rooms.invite-key"));
    }

    @Test
    void withPassword_urlAlreadyHasUserInfo_replacesIt() {
        assertEquals("rediss://:new@h:6379/0", SecretProperties.withPassword("rediss://:old@h:6379/0", "new"));
    }

    @Test
    void propertySource_atConfigurerOrder_beatsApplicationYmlAndPlainProperties() {
        // GIVEN application.yml's datasource password and a lower-priority plain property
        ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("datasources.default.password", "from-properties"))
                .propertySources(PropertySource.of("aws-secrets", Map.of("datasources.default.password", "from-secret"),
                        AwsSecretsConfigurer.ORDER))
                .build();
        // WHEN configuration is read
        context.getEnvironment().start();
        // THEN the secret wins
        assertEquals("from-secret", context.getEnvironment().getProperty("datasources.default.password", String.class).orElseThrow());
    }
}
