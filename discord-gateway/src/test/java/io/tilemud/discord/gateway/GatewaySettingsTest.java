package io.tilemud.discord.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    static final URI URL = URI.create("wss://gateway.discord.gg/?v=10&encoding=json");

    @Test
    void of_discordDefaults_relayIntentsOneSecondFiveAttempts() {
        GatewaySettings settings = GatewaySettings.of(URL, "token");
        assertEquals(GatewayIntents.RELAY, settings.intents());
        assertEquals(Duration.ofSeconds(1), settings.reconnectBaseDelay());
        assertEquals(5, settings.maxReconnectAttempts());
    }

    @Test
    void reconnectDelay_attemptsOneToFive_doublesFromBase() {
        GatewaySettings settings = GatewaySettings.of(URL, "token");
        assertEquals(Duration.ofSeconds(1), settings.reconnectDelay(1));
        assertEquals(Duration.ofSeconds(2), settings.reconnectDelay(2));
        assertEquals(Duration.ofSeconds(4), settings.reconnectDelay(3));
        assertEquals(Duration.ofSeconds(8), settings.reconnectDelay(4));
        assertEquals(Duration.ofSeconds(16), settings.reconnectDelay(5));
        assertThrows(IllegalArgumentException.class, () -> settings.reconnectDelay(0));
    }

    @Test
    void toString_anySettings_neverContainsTheToken() {
        String text = new GatewaySettings(URL, "secret-bot-token", 1, Duration.ofSeconds(1), 5).toString();
        assertFalse(text.contains("secret-bot-token"), text);
        assertTrue(text.contains("<redacted>"), text);
    }

    @Test
    void constructor_invalidValues_rejectedWithTheFieldNamed() {
        Duration second = Duration.ofSeconds(1);
        assertMessage("gatewayUrl", () -> new GatewaySettings(URI.create("https://discord.com"), "t", 1, second, 5));
        assertMessage("gatewayUrl", () -> new GatewaySettings(null, "t", 1, second, 5));
        assertMessage("botToken", () -> new GatewaySettings(URL, " ", 1, second, 5));
        assertMessage("botToken", () -> new GatewaySettings(URL, null, 1, second, 5));
        assertMessage("intents", () -> new GatewaySettings(URL, "t", 0, second, 5));
        assertMessage("reconnectBaseDelay", () -> new GatewaySettings(URL, "t", 1, Duration.ZERO, 5));
        assertMessage("reconnectBaseDelay", () -> new GatewaySettings(URL, "t", 1, null, 5));
        assertMessage("maxReconnectAttempts", () -> new GatewaySettings(URL, "t", 1, second, 0));
    }

    private static void assertMessage(String field, Runnable construct) {
        RuntimeException e = assertThrows(RuntimeException.class, construct::run);
        assertTrue(e instanceof IllegalArgumentException || e instanceof NullPointerException, e.toString());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
