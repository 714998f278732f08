package io.tilemud.discord;

import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link DiscordOAuth} on the JDK HttpClient: {@code POST {apiBaseUrl}/oauth2/token} (form, client credentials in
 * the body as Discord documents) then {@code GET {apiBaseUrl}/users/@me} with the access token. Two calls per link,
 * a person's pace: no rate limiter here, Discord's 429 becomes a transient refusal. Thread-safe.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class HttpDiscordOAuth implements DiscordOAuth {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDiscordOAuth.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final DiscordSettings settings;
    private final JsonMapper json;

    public HttpDiscordOAuth(DiscordSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    @Override
    public Identity identify(String code) {
        try {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "authorization_code");
            form.put("code", code);
            form.put("redirect_uri", settings.redirectUri() == null ? "" : settings.redirectUri());
            form.put("client_id", settings.clientId() == null ? "" : settings.clientId());
            form.put("client_secret", settings.clientSecret() == null ? "" : settings.clientSecret());
            String body = form.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(settings.apiBaseUrl() + "/oauth2/token"))
                    .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (token.statusCode() != 200) {
                return refusal("token exchange answered " + token.statusCode(), token.statusCode());
            }
            JsonNode tokenJson = json.readValue(token.body(), JsonNode.class);
            JsonNode accessToken = tokenJson.get("access_token");
            if (accessToken == null || !accessToken.isString()) {
                return new Refused("token exchange gave no access_token", false);
            }
            HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(settings.apiBaseUrl() + "/users/@me"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + accessToken.getStringValue())
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (me.statusCode() != 200) {
                return refusal("/users/@me answered " + me.statusCode(), me.statusCode());
            }
            JsonNode user = json.readValue(me.body(), JsonNode.class);
            JsonNode id = user.get("id");
            if (id == null || !id.isString()) {
                return new Refused("/users/@me gave no id", false);
            }
            JsonNode global = user.get("global_name");
            JsonNode username = user.get("username");
            String name = global != null && global.isString() ? global.getStringValue()
                    : username != null && username.isString() ? username.getStringValue() : id.getStringValue();
            return new Identified(id.getStringValue(), name);
        } catch (IOException e) {
            LOG.warn("discord oauth unreachable: {}", e.toString());
            return new Refused("Discord could not be reached", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Refused("interrupted", true);
        }
    }

    private static Refused refusal(String reason, int status) {
        // 4xx other than 429: the code is bad (expired, used, wrong redirect); the rest may work later.
        return new Refused(reason, status == 429 || status >= 500);
    }
}
