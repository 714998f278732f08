package io.tilemud.functions.rooms;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.error.ApiError;
import io.tilemud.error.ErrorCode;
import io.tilemud.functions.user.CurrentUser;
import io.tilemud.functions.web.ErrorResponses;
import io.tilemud.rooms.Room;
import io.tilemud.rooms.RoomMember;
import io.tilemud.rooms.RoomOutcome;
import io.tilemud.rooms.RoomService;
import io.tilemud.user.User;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Rooms API (ROOM-01, ROOM-04): thin — parse, call {@link RoomService}, map the outcome. */
@Controller("/rooms")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class RoomController {
    private final RoomService rooms;
    private final CurrentUser currentUser;

    public RoomController(RoomService rooms, CurrentUser currentUser) {
        this.rooms = rooms;
        this.currentUser = currentUser;
    }

    @Serdeable
    public record JoinRequest(@Nullable String inviteToken) {
    }

    @Serdeable
    public record MemberView(UUID userId, UUID characterId, String name) {
    }

    /** @param voiceLink the room's voice channel, null until Discord is wired in */
    @Serdeable
    public record RoomView(UUID roomId, UUID ownerId, List<MemberView> members, long lastRoomSeq,
                           @Nullable String inviteToken, @Nullable Instant inviteExpiresAt, @Nullable String voiceLink) {
    }

    @Post
    public HttpResponse<?> create(Authentication authentication) {
        User user = currentUser.of(authentication);
        return respond(rooms.create(user.id(), user.activeCharacterId()), HttpStatus.CREATED);
    }

    @Post("/join")
    public HttpResponse<?> join(Authentication authentication, @Body JoinRequest request) {
        User user = currentUser.of(authentication);
        return respond(rooms.join(user.id(), user.activeCharacterId(), request.inviteToken()), HttpStatus.OK);
    }

    @Post("/{roomId}/invites")
    public HttpResponse<?> invite(Authentication authentication, @PathVariable String roomId) {
        UUID id = parse(roomId);
        return id == null ? notFound() : respond(rooms.invite(id, currentUser.of(authentication).id()), HttpStatus.CREATED);
    }

    @Get("/{roomId}")
    public HttpResponse<?> show(Authentication authentication, @PathVariable String roomId) {
        UUID id = parse(roomId);
        return id == null ? notFound() : respond(rooms.show(id, currentUser.of(authentication).id()), HttpStatus.OK);
    }

    @Delete("/{roomId}/members/me")
    public HttpResponse<?> leave(Authentication authentication, @PathVariable String roomId) {
        UUID id = parse(roomId);
        return id == null ? notFound() : respond(rooms.leave(id, currentUser.of(authentication).id()), HttpStatus.NO_CONTENT);
    }

    @Delete("/{roomId}")
    public HttpResponse<?> close(Authentication authentication, @PathVariable String roomId) {
        UUID id = parse(roomId);
        return id == null ? notFound() : respond(rooms.close(id, currentUser.of(authentication).id()), HttpStatus.NO_CONTENT);
    }

    private HttpResponse<?> respond(RoomOutcome outcome, HttpStatus success) {
        return switch (outcome) {
            case RoomOutcome.Shown(Room room, var invite) -> {
                RoomView view = new RoomView(room.id(), room.ownerId(),
                        room.members().stream().map(RoomController::view).toList(), room.lastSeq(),
                        invite == null ? null : invite.token(), invite == null ? null : invite.expiresAt(),
                        rooms.voiceLinkOf(room.id()).orElse(null));
                yield success == HttpStatus.CREATED
                        ? HttpResponse.created(view, URI.create("/rooms/" + room.id()))
                        : HttpResponse.status(success).body(view);
            }
            case RoomOutcome.Gone gone -> HttpResponse.noContent();
            case RoomOutcome.Refused(ErrorCode code, String message) -> ErrorResponses.of(code, message);
        };
    }

    private static MemberView view(RoomMember member) {
        return new MemberView(member.userId(), member.characterId(), member.name());
    }

    private static HttpResponse<ApiError> notFound() {
        return ErrorResponses.of(ErrorCode.NOT_FOUND, "no such room");
    }

    @Nullable
    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
