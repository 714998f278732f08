package io.tilemud.functions.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.character.CharacterRepository;
import io.tilemud.character.PlayerCharacter;
import io.tilemud.config.TileMudSettings;
import io.tilemud.error.ErrorCode;
import io.tilemud.functions.user.CurrentUser;
import io.tilemud.functions.web.ErrorResponses;
import io.tilemud.instance.GameInstance;
import io.tilemud.instance.InstanceService;
import io.tilemud.realtime.ActionLog;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.session.Session;
import io.tilemud.session.SessionStore;
import io.tilemud.world.WorldRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * RT-02: everything a client needs before (re)joining the game, from PostgreSQL: its active character's
 * authoritative state, the world it plays in, the server build and the last seq the server acknowledged.
 * With a live {@code sessionId} the world and seq are the session's; without one (e.g. after a restart) the
 * client names the {@code instanceId}.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
public class BootstrapController {
    private final CurrentUser currentUser;
    private final CharacterRepository characters;
    private final InstanceService instances;
    private final WorldRepository world;
    private final SessionStore sessions;
    private final ActionLog actions;
    private final TileMudSettings settings;

    public BootstrapController(CurrentUser currentUser, CharacterRepository characters, InstanceService instances,
                               WorldRepository world, SessionStore sessions, ActionLog actions, TileMudSettings settings) {
        this.currentUser = currentUser;
        this.characters = characters;
        this.instances = instances;
        this.world = world;
        this.sessions = sessions;
        this.actions = actions;
        this.settings = settings;
    }

    @Serdeable
    public record BootstrapRequest(@Nullable String sessionId, @Nullable String instanceId) {
    }

    @Serdeable
    public record CharacterState(UUID id, String name, int x, int y) {
    }

    @Serdeable
    public record World(String instanceId, int width, int height,
                        @JsonInclude(JsonInclude.Include.ALWAYS) List<int[]> walls) {
    }

    @Serdeable
    public record Bootstrap(String build, int protocol, @Nullable String sessionId, long lastSeq,
                            CharacterState character, World world) {
    }

    @Post("/session/bootstrap")
    public HttpResponse<?> bootstrap(Authentication authentication, @Body BootstrapRequest request) {
        var user = currentUser.of(authentication);
        if (user.activeCharacterId() == null) {
            return ErrorResponses.of(ErrorCode.NO_ACTIVE_CHARACTER, "select an active character first");
        }
        PlayerCharacter character = characters.findByIdAndUserId(user.activeCharacterId(), user.id()).orElseThrow();
        Optional<Session> session = Optional.empty();
        if (request.sessionId() != null && !request.sessionId().isBlank()) {
            try {
                session = sessions.find(request.sessionId())
                        .filter(s -> s.userId().equals(user.id()) && s.characterId().equals(character.id()));
            } catch (CacheUnavailableException e) {
                return ErrorResponses.of(ErrorCode.SERVICE_DEGRADED, "sessions cannot be checked right now; bootstrap with instanceId");
            }
            if (session.isEmpty()) {
                return ErrorResponses.of(ErrorCode.NOT_FOUND, "no such session");
            }
        }
        String instanceId = session.map(Session::instanceId).orElse(request.instanceId());
        Optional<GameInstance> instance = instanceId == null ? Optional.empty() : instances.find(instanceId);
        if (instance.isEmpty()) {
            return ErrorResponses.of(ErrorCode.INVALID_INSTANCE, "give a live sessionId or an existing instanceId");
        }
        List<int[]> walls = world.findWalls(instance.get().id()).stream()
                .map(w -> new int[]{w.id().x(), w.id().y()}).toList();
        return HttpResponse.ok(new Bootstrap(settings.build(), settings.protocol(),
                session.map(Session::sessionId).orElse(null),
                session.map(s -> actions.lastSeq(s.sessionId())).orElse(0L),
                new CharacterState(character.id(), character.name(), character.x(), character.y()),
                new World(instance.get().id(), instance.get().width(), instance.get().height(), walls)));
    }
}
