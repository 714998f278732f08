package io.tilemud.infra;

import io.tilemud.contract.ConnectionsTable;
import io.tilemud.contract.Handlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackSettingsTest {

    @Test
    void fromContext_empty_usesDocumentedDefaults() {
        // GIVEN no context at all
        // WHEN reading settings
        StackSettings settings = StackSettings.fromContext(key -> null);

        // THEN the defaults hold, jars resolve from ".." (infra-cdk/ is the working directory)
        assertEquals("TileMud", settings.stackName());
        assertEquals(Path.of("..", Handlers.FUNCTIONS_JAR).normalize(), settings.functionsJar());
        assertEquals(Path.of("..", Handlers.WEBSOCKET_JAR).normalize(), settings.websocketJar());
        assertEquals(1, settings.natGateways());
        assertTrue(settings.oidc().isEmpty());
        assertEquals(new StackSettings.CacheSettings("valkey", "8.0", "cache.t4g.micro", 2), settings.cache());
        assertEquals(10, settings.dbReservedConcurrency());
        assertEquals(ConnectionsTable.DEFAULT_TABLE_NAME, settings.tableName());
        assertEquals(List.of(), settings.corsOrigins()); // only the web client's own origin
        assertEquals(Path.of("..", WebClientFiles.DEFAULT_DIRECTORY).normalize(), settings.webClientDir());
        assertTrue(settings.cognitoDomainPrefix().isEmpty());
        assertFalse(settings.secretsInEnvironment());
    }

    @Test
    void fromContext_stringsFromCommandLine_areParsed() {
        // GIVEN context as `cdk -c` passes it: all strings
        Map<String, Object> context = new HashMap<>();
        context.put("repoRoot", "/srv/tilemud");
        context.put("natGateways", "2");
        context.put("dbMultiAz", "true");
        context.put("corsOrigins", "https://play.example.com, https://admin.example.com");
        context.put("logRetentionDays", "14");

        // WHEN reading settings
        StackSettings settings = StackSettings.fromContext(context::get);

        // THEN each is converted
        assertEquals(Path.of("/srv/tilemud", Handlers.FUNCTIONS_JAR), settings.functionsJar());
        assertEquals(Path.of("/srv/tilemud/web-client/public"), settings.webClientDir());
        assertEquals(2, settings.natGateways());
        assertTrue(settings.database().multiAz());
        assertEquals(List.of("https://play.example.com", "https://admin.example.com"), settings.corsOrigins());
        assertEquals(14, settings.logRetentionDays());
    }

    @Test
    void fromContext_numbersFromCdkJson_areParsed() {
        // GIVEN context as cdk.json holds it: JSON numbers and booleans
        Map<String, Object> context = Map.of("cacheNodes", 3, "dbReservedConcurrency", 0, "secretsInEnvironment", true);

        // WHEN reading settings
        StackSettings settings = StackSettings.fromContext(context::get);

        // THEN they are accepted as they are
        assertEquals(3, settings.cache().nodes());
        assertEquals(0, settings.dbReservedConcurrency());
        assertTrue(settings.secretsInEnvironment());
    }

    @Test
    void fromContext_issuerWithoutAudience_isRejected() {
        // GIVEN only half of an external issuer
        Map<String, Object> context = Map.of("oidcIssuer", "https://auth.example.com");

        // WHEN reading settings
        var error = assertThrows(IllegalArgumentException.class, () -> StackSettings.fromContext(context::get));

        // THEN the message says both are needed
        assertTrue(error.getMessage().contains("oidcIssuer and oidcAudience"));
    }

    @ParameterizedTest
    @CsvSource({"natGateways, 0", "natGateways, two", "cacheNodes, 1", "cacheEngine, memcached",
            "logRetentionDays, 10", "dbMultiAz, yes", "dbReservedConcurrency, -1", "cognitoDomainPrefix, Tile_Mud",
            "cognitoDomainPrefix, my-aws-game", "cognitoDomainPrefix, -tilemud"})
    void fromContext_invalidValue_isRejectedNamingTheKey(String key, String value) {
        // GIVEN a value the stack cannot honour
        Map<String, Object> context = Map.of(key, value);

        // WHEN reading settings
        var error = assertThrows(IllegalArgumentException.class, () -> StackSettings.fromContext(context::get));

        // THEN the failure names the key
        assertTrue(error.getMessage().contains(key), error.getMessage());
    }

    @Test
    void fromContext_plainHttpIssuer_isRejected() {
        // GIVEN an issuer without TLS
        Map<String, Object> context = Map.of("oidcIssuer", "http://auth.example.com", "oidcAudience", "game");

        // WHEN reading settings
        var error = assertThrows(IllegalArgumentException.class, () -> StackSettings.fromContext(context::get));

        // THEN it is refused: tokens must come from an https issuer
        assertTrue(error.getMessage().contains("https"), error.getMessage());
    }

    @Test
    void fromContext_externalIssuer_readsTheBrowserLoginEndpoints() {
        // GIVEN an external issuer with the endpoints of its discovery document
        Map<String, Object> context = Map.of("oidcIssuer", "https://auth.example.com/", "oidcAudience", "game",
                "oidcAuthorizationEndpoint", "https://auth.example.com/authorize",
                "oidcTokenEndpoint", "https://auth.example.com/oauth/token");

        // WHEN reading settings
        var oidc = StackSettings.fromContext(context::get).oidc().orElseThrow();

        // THEN client id and scope default to the audience and openid
        assertEquals(new StackSettings.OidcIssuer("https://auth.example.com", "game",
                "https://auth.example.com/.well-known/jwks.json", "https://auth.example.com/authorize",
                "https://auth.example.com/oauth/token", "game", "openid"), oidc);
    }

    @Test
    void fromContext_externalIssuerWithoutLoginEndpoints_isRejectedNamingThem() {
        // GIVEN an external issuer as before the web client: issuer and audience only
        Map<String, Object> context = Map.of("oidcIssuer", "https://auth.example.com", "oidcAudience", "game");

        // WHEN reading settings
        var error = assertThrows(IllegalArgumentException.class, () -> StackSettings.fromContext(context::get));

        // THEN the message names the missing key and where to find its value
        assertTrue(error.getMessage().contains("oidcAuthorizationEndpoint"), error.getMessage());
        assertTrue(error.getMessage().contains("/.well-known/openid-configuration"), error.getMessage());
    }

    @Test
    void locate_missingWebClient_failsNamingTheDirectory() {
        // GIVEN a repository root without web-client/public
        Map<String, Object> context = Map.of("repoRoot", "target/no-such-repo");
        StackSettings settings = StackSettings.fromContext(context::get);

        // WHEN locating the web client's files
        var error = assertThrows(IllegalStateException.class, () -> WebClientFiles.locate(settings));

        // THEN the message names the directory and the context key that moves it
        assertTrue(error.getMessage().contains(Path.of("target/no-such-repo/web-client/public/index.html")
                .toAbsolutePath().toString()), error.getMessage());
        assertTrue(error.getMessage().contains("webClientDir"), error.getMessage());
    }

    @Test
    void locate_missingJar_failsWithTheBuildCommand() {
        // GIVEN a repository root where nothing was built
        Map<String, Object> context = Map.of("repoRoot", "target/no-such-repo");
        StackSettings settings = StackSettings.fromContext(context::get);

        // WHEN locating the Lambda jars
        var error = assertThrows(IllegalStateException.class, () -> LambdaArtifacts.locate(settings));

        // THEN the message names the jar and the command that builds it
        assertTrue(error.getMessage().contains("tilemud-functions.jar"), error.getMessage());
        assertTrue(error.getMessage().contains("./mvnw -DskipTests package"), error.getMessage());
    }

    @Test
    void context_keyValueArguments_becomeContext() {
        // GIVEN Maven synth arguments
        // WHEN parsing them
        // THEN each key=value is a context entry, and anything else is refused
        assertEquals(Map.of("natGateways", "2", "oidcIssuer", "https://a=b"),
                TileMudApp.context(new String[]{"natGateways=2", "oidcIssuer=https://a=b"}));
        assertThrows(IllegalArgumentException.class, () -> TileMudApp.context(new String[]{"natGateways"}));
    }
}
