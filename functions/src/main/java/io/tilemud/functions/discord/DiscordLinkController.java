package io.tilemud.functions.discord;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.discord.DiscordAccounts;
import io.tilemud.discord.DiscordLink;
import io.tilemud.error.ErrorCode;
import io.tilemud.functions.user.CurrentUser;
import io.tilemud.functions.web.ErrorResponses;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Discord account link (DSC-01): {@code POST /me/discord {code}} with the OAuth2 authorization code the browser got
 * from Discord's consent page, {@code GET} to show it, {@code DELETE} to unlink. Without Discord (no bot token,
 * DSC-04) the routes exist and answer {@code NOT_FOUND}.
 */
@Controller("/me/discord")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class DiscordLinkController {
    private final Optional<DiscordAccounts> accounts;
    private final CurrentUser currentUser;

    public DiscordLinkController(Optional<DiscordAccounts> accounts, CurrentUser currentUser) {
        this.accounts = accounts;
        this.currentUser = currentUser;
    }

    @Serdeable
    public record LinkRequest(@Nullable String code) {
    }

    @Serdeable
    public record LinkView(String discordUserId, String discordName, Instant linkedAt) {
        static LinkView of(DiscordLink link) {
            return new LinkView(link.discordUserId(), link.discordName(), link.linkedAt());
        }
    }

    @Post
    public HttpResponse<?> link(Authentication authentication, @Body LinkRequest request) {
        if (accounts.isEmpty()) {
            return disabled();
        }
        UUID userId = currentUser.of(authentication).id();
        return switch (accounts.get().link(userId, request.code())) {
            case DiscordAccounts.Linked(DiscordLink link) -> HttpResponse.ok(LinkView.of(link));
            case DiscordAccounts.Refused(ErrorCode code, String message) -> ErrorResponses.of(code, message);
        };
    }

    @Get
    public HttpResponse<?> show(Authentication authentication) {
        if (accounts.isEmpty()) {
            return disabled();
        }
        return accounts.get().linkOf(currentUser.of(authentication).id())
                .<HttpResponse<?>>map(link -> HttpResponse.ok(LinkView.of(link)))
                .orElseGet(() -> ErrorResponses.of(ErrorCode.NOT_FOUND, "no Discord account is linked"));
    }

    @Delete
    public HttpResponse<?> unlink(Authentication authentication) {
        if (accounts.isEmpty()) {
            return disabled();
        }
        return accounts.get().unlink(currentUser.of(authentication).id())
                ? HttpResponse.noContent()
                : ErrorResponses.of(ErrorCode.NOT_FOUND, "no Discord account is linked");
    }

    private static HttpResponse<?> disabled() {
        return ErrorResponses.of(ErrorCode.NOT_FOUND, "Discord is not enabled on this server");
    }
}
