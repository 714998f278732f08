package io.tilemud.discord.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the relay reaches Discord's gateway.
 *
 * @param gatewayUrl           where a fresh session starts: {@code wss://gateway.discord.gg/?v=10&encoding=json} (the
 *                             URL {@code GET /gateway/bot} returns, with the version and encoding query) or the fake's
 *                             {@code ws://} URL; resumes go to the session's own {@code resume_gateway_url} instead
 * @param botToken             the bot token sent in IDENTIFY and RESUME; never logged ({@link #toString()} redacts it)
 * @param intents              the gateway intents bit set, normally {@link GatewayIntents#RELAY}
 * @param reconnectBaseDelay   the first reconnect wait (Discord's rules: 1 s); attempt n waits base × 2^(n-1), so
 *                             1→2→4→8→16 s. The wait before re-identifying after an INVALID_SESSION {@code d:false} is
 *                             1–5 × this base (Discord asks for 1–5 s), and an open connection that sends no HELLO
 *                             within 10 × this base is abandoned, so tests scale all three with one knob
 * @param maxReconnectAttempts how many reconnects in a row may fail before the client stops with
 *                             {@link GatewayState#STOPPED_EXHAUSTED} (5); a READY or RESUMED resets the count
 */
public record GatewaySettings(URI gatewayUrl, String botToken, int intents,
                              Duration reconnectBaseDelay, int maxReconnectAttempts) {

    /** Discord's reconnect base delay. */
    public static final Duration DEFAULT_RECONNECT_BASE_DELAY = Duration.ofSeconds(1);
    /** Discord's reconnect cap before an operator has to look. */
    public static final int DEFAULT_MAX_RECONNECT_ATTEMPTS = 5;

    public GatewaySettings {
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        String scheme = gatewayUrl.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("gatewayUrl must be a ws:// or wss:// URL, got scheme " + scheme);
        }
        if (botToken == null || botToken.isBlank()) {
            throw new IllegalArgumentException("botToken must not be blank");
        }
        if (intents <= 0) {
            throw new IllegalArgumentException("intents must name at least one intent, got " + intents);
        }
        Objects.requireNonNull(reconnectBaseDelay, "reconnectBaseDelay");
        if (reconnectBaseDelay.isNegative() || reconnectBaseDelay.isZero()) {
            throw new IllegalArgumentException("reconnectBaseDelay must be positive, got " + reconnectBaseDelay);
        }
        if (maxReconnectAttempts < 1) {
            throw new IllegalArgumentException("maxReconnectAttempts must be at least 1, got " + maxReconnectAttempts);
        }
    }

    /** Discord's defaults: the relay's intents, 1 s base delay, 5 attempts. */
    public static GatewaySettings of(URI gatewayUrl, String botToken) {
        return new GatewaySettings(gatewayUrl, botToken, GatewayIntents.RELAY,
                DEFAULT_RECONNECT_BASE_DELAY, DEFAULT_MAX_RECONNECT_ATTEMPTS);
    }

    /** The wait before reconnect attempt {@code attempt} (1-based): base × 2^(attempt-1). */
    public Duration reconnectDelay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
        }
        return reconnectBaseDelay.multipliedBy(1L << Math.min(attempt - 1, 30));
    }

    /** The token never reaches a log line, even when someone logs the settings. */
    @Override
    public String toString() {
        return "GatewaySettings[gatewayUrl=" + gatewayUrl + ", botToken=<redacted>, intents=" + intents
                + ", reconnectBaseDelay=" + reconnectBaseDelay + ", maxReconnectAttempts=" + maxReconnectAttempts + "]";
    }
}
