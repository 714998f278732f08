package io.tilemud.functions.character;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.character.PlayerCharacter;
import io.tilemud.error.ErrorCode;
import io.tilemud.functions.user.CurrentUser;
import io.tilemud.functions.web.ErrorResponses;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** Characters API (ADM-22). Every query is scoped to the caller: no id of another user's character ever resolves. */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
public class CharacterController {
    private final CharacterService characters;
    private final CurrentUser currentUser;

    public CharacterController(CharacterService characters, CurrentUser currentUser) {
        this.characters = characters;
        this.currentUser = currentUser;
    }

    @Serdeable
    public record CreateCharacterRequest(String name) {
    }

    @Serdeable
    public record CharacterView(UUID id, String name, String status, boolean active) {
        static CharacterView of(PlayerCharacter c, UUID activeId) {
            return new CharacterView(c.id(), c.name(), c.status().name(), c.id().equals(activeId));
        }
    }

    @Serdeable
    public record SelectActiveRequest(@NotNull UUID characterId) {
    }

    @Post("/characters")
    public HttpResponse<?> create(Authentication authentication, @Body CreateCharacterRequest request) {
        var user = currentUser.of(authentication);
        return switch (characters.create(user.id(), request.name())) {
            case CreateCharacterResult.Created(PlayerCharacter c) ->
                    HttpResponse.created(CharacterView.of(c, user.activeCharacterId()), URI.create("/characters/" + c.id()));
            case CreateCharacterResult.InvalidName(String problem) -> ErrorResponses.of(ErrorCode.VALIDATION_FAILED, problem);
            case CreateCharacterResult.NameTaken(String name) ->
                    ErrorResponses.of(ErrorCode.NAME_TAKEN, "you already have a character named " + name);
        };
    }

    @Get("/characters")
    public List<CharacterView> list(Authentication authentication) {
        var user = currentUser.of(authentication);
        return characters.list(user.id()).stream().map(c -> CharacterView.of(c, user.activeCharacterId())).toList();
    }

    @Put("/me/active-character")
    public HttpResponse<?> selectActive(Authentication authentication, @Valid @Body SelectActiveRequest request) {
        var user = currentUser.of(authentication);
        return characters.selectActive(user.id(), request.characterId())
                ? HttpResponse.noContent()
                : ErrorResponses.of(ErrorCode.NOT_FOUND, "no such character");
    }
}
