package io.tilemud.error;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;

/**
 * The one error body of every endpoint and WebSocket error event (RT-13): {@code {"code","message","transient"}}.
 * {@code transient} tells a client whether the same request may succeed later.
 */
@Serdeable
public record ApiError(String code, String message, @JsonProperty("transient") boolean transientFailure) {

    public ApiError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static ApiError of(ErrorCode code, String message) {
        return new ApiError(code.name(), message, code.isTransient());
    }
}
