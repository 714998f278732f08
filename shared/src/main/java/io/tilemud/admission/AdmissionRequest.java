package io.tilemud.admission;

import io.micronaut.core.annotation.Nullable;

import java.util.Objects;

/**
 * One connect attempt as the client sent it; nothing here is validated yet (the service does, in the ADM order).
 *
 * @param subject            the authenticated token's subject
 * @param characterId        as sent (may be absent or not a UUID: NO_ACTIVE_CHARACTER)
 * @param reconnectionToken  secret; never logged
 * @param replaceToken       secret; never logged
 */
public record AdmissionRequest(String subject, String instanceId, @Nullable String characterId,
                               @Nullable String clientBuild, @Nullable String reconnectionToken,
                               @Nullable String replaceToken) {
    public AdmissionRequest {
        Objects.requireNonNull(subject, "subject");
    }

    @Override
    public String toString() {
        return "AdmissionRequest[instance=" + instanceId + ", character=" + characterId + "]";
    }
}
