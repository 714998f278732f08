package io.tilemud.functions.admission;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.error.ErrorCode;

/**
 * Body of {@code POST /instances/{id}/connect} (REQUIREMENTS §2) and of a promoted queue status poll. Absent fields
 * are omitted.
 *
 * @param outcome success|queued|failed|timeout
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmissionResponse(String outcome, @Nullable String reason, @Nullable Long position,
                                @Nullable String sessionId, @Nullable String reconnectionToken,
                                @Nullable String replaceToken, @Nullable Long retryAfterSeconds,
                                @Nullable String requiredBuild) {

    public static AdmissionResponse of(AdmissionResult result) {
        return switch (result) {
            case AdmissionResult.Admitted a -> success(a.sessionId(), a.reconnectionToken());
            case AdmissionResult.Queued q -> new AdmissionResponse("queued", null, q.position(), null, null, null, null, null);
            case AdmissionResult.Rejected r -> new AdmissionResponse("failed", r.reason().name(), null, null, null,
                    r.replaceToken(), r.retryAfterSeconds(), r.requiredBuild());
            case AdmissionResult.TimedOut t ->
                    new AdmissionResponse("timeout", ErrorCode.TIMEOUT.name(), null, null, null, null, null, null);
        };
    }

    public static AdmissionResponse success(String sessionId, String reconnectionToken) {
        return new AdmissionResponse("success", null, null, sessionId, reconnectionToken, null, null, null);
    }
}
