package io.tilemud.embedded;

import java.util.HashMap;
import java.util.Map;

/**
 * The configuration that points an application context at running servers and an identity provider: the one
 * mapping the local stack and the test suites share (property names as in {@code shared/application.yml}).
 */
public final class ApplicationProperties {
    private ApplicationProperties() {
    }

    public static Map<String, Object> of(EmbeddedServers servers, DevIdentityProvider identity, String jwksUrl) {
        Map<String, Object> p = new HashMap<>();
        p.put("redis.uri", servers.redisUrl());
        p.put("datasources.default.url", servers.jdbcUrl());
        servers.jdbcUsername().ifPresent(u -> p.put("datasources.default.username", u));
        servers.jdbcPassword().ifPresent(pw -> p.put("datasources.default.password", pw));
        p.put("tilemud.dynamodb.endpoint", servers.dynamoDbEndpoint());
        p.put("tilemud.dynamodb.create-table", true);
        // DynamoDB Local accepts any credentials; static ones keep us off the default AWS credential chain.
        p.put("tilemud.dynamodb.access-key-id", "local");
        p.put("tilemud.dynamodb.secret-access-key", "local");
        p.put("tilemud.auth.jwks-url", jwksUrl);
        p.put("tilemud.auth.issuer", identity.issuer());
        p.put("tilemud.auth.audience", identity.audience());
        // Developer machines and tests only; a deployment has no default and reads its key from Secrets Manager.
        p.put("tilemud.rooms.invite-key", "dev-only-room-invite-key-not-a-secret-0123456789");
        return p;
    }
}
