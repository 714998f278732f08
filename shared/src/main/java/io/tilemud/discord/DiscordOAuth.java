package io.tilemud.discord;

import java.util.Objects;

/**
 * Port over Discord's OAuth2 authorization-code flow (account link): the code is exchanged at {@code /oauth2/token},
 * the access token is used once for {@code /users/@me} and then dropped (we keep no Discord token of a player).
 */
public interface DiscordOAuth {

    /** Who the code belongs to, or a refusal (bad, expired or used code; Discord unreachable). */
    Identity identify(String code);

    sealed interface Identity permits Identified, Refused {
    }

    /** @param name the name to show: Discord's {@code global_name}, else {@code username} */
    record Identified(String discordUserId, String name) implements Identity {
        public Identified {
            Objects.requireNonNull(discordUserId, "discordUserId");
            Objects.requireNonNull(name, "name");
        }
    }

    /** @param transientFailure Discord could not be asked (retry later) rather than saying no */
    record Refused(String reason, boolean transientFailure) implements Identity {
    }
}
