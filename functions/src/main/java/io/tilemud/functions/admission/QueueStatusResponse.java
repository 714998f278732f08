package io.tilemud.functions.admission;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of {@code GET /instances/{id}/queue/status} while waiting (ADM-15): {@code outcome} is always
 * {@code queued} here; once promoted the route answers an {@link AdmissionResponse} instead.
 *
 * @param estimatedWaitSeconds from the observed promotion rate (ADM-23)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueStatusResponse(String outcome, long position, long depth, long estimatedWaitSeconds) {
}
