package io.tilemud.discord;

import io.micronaut.context.annotation.Requires;
import io.tilemud.error.ErrorCode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Account link (DSC-01): a player proves a Discord account with an OAuth2 authorization code; the account is stored
 * with the user. Only linked members get the room's Discord role. Exists only with Discord enabled.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class DiscordAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordAccounts.class);
    private final DiscordOAuth oauth;
    private final JdbcDiscordLinks links;
    private final Clock clock;

    public DiscordAccounts(DiscordOAuth oauth, JdbcDiscordLinks links, Clock clock) {
        this.oauth = oauth;
        this.links = links;
        this.clock = clock;
    }

    /** What a link request came to. */
    public sealed interface LinkOutcome permits Linked, Refused {
    }

    public record Linked(DiscordLink link) implements LinkOutcome {
    }

    public record Refused(ErrorCode code, String message) implements LinkOutcome {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    public LinkOutcome link(UUID userId, String code) {
        if (code == null || code.isBlank() || code.length() > 512) {
            return new Refused(ErrorCode.VALIDATION_FAILED, "code is required (at most 512 characters)");
        }
        return switch (oauth.identify(code)) {
            case DiscordOAuth.Refused(String reason, boolean transientFailure) -> {
                LOG.info("discord link refused for user {}: {}", userId, reason);
                yield transientFailure
                        ? new Refused(ErrorCode.SERVICE_DEGRADED, "Discord could not be reached; try again")
                        : new Refused(ErrorCode.DISCORD_LINK_FAILED, "Discord did not accept this authorization code");
            }
            case DiscordOAuth.Identified(String discordUserId, String name) -> {
                String shown = name.length() > 64 ? name.substring(0, 64) : name;
                yield switch (links.link(userId, discordUserId, shown, clock.instant())) {
                    case LINKED -> new Linked(links.find(userId).orElseThrow());
                    case TAKEN -> new Refused(ErrorCode.DISCORD_LINK_FAILED,
                            "this Discord account is linked to another player");
                };
            }
        };
    }

    public Optional<DiscordLink> linkOf(UUID userId) {
        return links.find(userId);
    }

    /** @return false when there was no link */
    public boolean unlink(UUID userId) {
        return links.unlink(userId).isPresent();
    }
}
