package io.tilemud.functions.admission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.admission.AdmissionRequest;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.AdmissionService;
import io.tilemud.error.ErrorCode;
import io.tilemud.functions.web.ErrorResponses;
import io.tilemud.queue.QueueService;
import io.tilemud.queue.QueueStatus;
import io.tilemud.session.ReleaseResult;
import io.tilemud.session.SessionService;

/**
 * Admission routes (ADM-01..23): parse, one service call, map the outcome. Unauthenticated calls never get here
 * (401 NOT_AUTHENTICATED from the security filter, ADM-01). Responses carrying tokens are {@code no-store}.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AdmissionController {
    private final AdmissionService admission;
    private final QueueService queue;
    private final SessionService sessions;

    public AdmissionController(AdmissionService admission, QueueService queue, SessionService sessions) {
        this.admission = admission;
        this.queue = queue;
        this.sessions = sessions;
    }

    /** Every field optional at the parsing level: a missing one is an admission outcome, not a 400. */
    @Serdeable
    public record ConnectRequest(@Nullable String characterId, @Nullable String clientBuild,
                                 @Nullable String reconnectionToken) {
    }

    @Post("/instances/{instanceId}/connect")
    public HttpResponse<AdmissionResponse> connect(Authentication authentication, @PathVariable String instanceId,
                                                   @Nullable @QueryValue String replaceToken,
                                                   @Nullable @Body ConnectRequest body) {
        ConnectRequest request = body == null ? new ConnectRequest(null, null, null) : body;
        AdmissionResult result = admission.admit(new AdmissionRequest(authentication.getName(), instanceId,
                request.characterId(), request.clientBuild(), request.reconnectionToken(), replaceToken));
        MutableHttpResponse<AdmissionResponse> response = switch (result) {
            case AdmissionResult.Rejected r when r.reason() == ErrorCode.RATE_LIMITED ->
                    HttpResponse.<AdmissionResponse>status(HttpStatus.TOO_MANY_REQUESTS)
                            .header(HttpHeaders.RETRY_AFTER, String.valueOf(r.retryAfterSeconds()));
            case AdmissionResult.Rejected r when r.retryAfterSeconds() != null ->
                    HttpResponse.<AdmissionResponse>ok().header(HttpHeaders.RETRY_AFTER, String.valueOf(r.retryAfterSeconds()));
            default -> HttpResponse.ok();
        };
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").body(AdmissionResponse.of(result));
    }

    @Get("/instances/{instanceId}/queue/status")
    public HttpResponse<?> queueStatus(Authentication authentication, @PathVariable String instanceId,
                                       @Nullable @QueryValue String characterId) {
        return switch (queue.status(authentication.getName(), instanceId, characterId)) {
            case QueueStatus.Waiting w -> HttpResponse.ok(
                    new QueueStatusResponse("queued", w.position(), w.depth(), w.estimatedWaitSeconds()));
            case QueueStatus.Promoted p -> HttpResponse.ok(AdmissionResponse.success(p.sessionId(), p.reconnectionToken()))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
            case QueueStatus.NotQueued n -> ErrorResponses.of(ErrorCode.NOT_FOUND, "not queued for this instance");
            case QueueStatus.Refused r -> refused(r.code(), r.retryAfterSeconds());
        };
    }

    /**
     * Leaves the queue (WEB-03's "Leave queue"): 204 whether or not the character was still queued (idempotent). If it
     * was promoted before the leave arrived, the answer is that admission (200, as a status poll gives it): the slot is
     * the player's, and {@code DELETE /sessions/{id}} gives it back.
     */
    @Delete("/instances/{instanceId}/queue")
    public HttpResponse<?> leaveQueue(Authentication authentication, @PathVariable String instanceId,
                                      @Nullable @QueryValue String characterId) {
        return switch (queue.leave(authentication.getName(), instanceId, characterId)) {
            case QueueStatus.Promoted p -> HttpResponse.ok(AdmissionResponse.success(p.sessionId(), p.reconnectionToken()))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
            case QueueStatus.Waiting w -> throw new IllegalStateException("still queued after leaving");
            case QueueStatus.NotQueued n -> HttpResponse.noContent();
            case QueueStatus.Refused r -> refused(r.code(), r.retryAfterSeconds());
        };
    }

    /** Graceful leave (ADM-19): frees the slot at once and promotes the queue head. Owner only (RT-12). */
    @Delete("/sessions/{sessionId}")
    public HttpResponse<?> leave(Authentication authentication, @PathVariable String sessionId) {
        return switch (sessions.leave(authentication.getName(), sessionId)) {
            case ReleaseResult.Released r -> HttpResponse.noContent();
            case ReleaseResult.NotFound n -> ErrorResponses.of(ErrorCode.NOT_FOUND, "no such session");
            case ReleaseResult.Unavailable u -> refused(ErrorCode.SERVICE_DEGRADED, null);
        };
    }

    private static HttpResponse<?> refused(ErrorCode code, @Nullable Long retryAfterSeconds) {
        String message = switch (code) {
            case INVALID_INSTANCE -> "instance id must match ^[A-Za-z0-9_-]{1,64}$";
            case NO_ACTIVE_CHARACTER -> "characterId must be one of your characters";
            case SERVICE_DEGRADED -> "admission state is temporarily unavailable";
            default -> code.name();
        };
        var response = ErrorResponses.of(code, message);
        return code == ErrorCode.SERVICE_DEGRADED
                ? response.header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds == null ? 5 : retryAfterSeconds))
                : response;
    }
}
