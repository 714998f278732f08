package io.tilemud.functions.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.tilemud.error.ApiError;
import io.tilemud.error.ErrorCode;

/** Maps error codes to HTTP statuses, so every controller answers a given "no" the same way. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static MutableHttpResponse<ApiError> of(ErrorCode code, String message) {
        return HttpResponse.<ApiError>status(statusOf(code)).body(ApiError.of(code, message));
    }

    public static HttpStatus statusOf(ErrorCode code) {
        return switch (code) {
            case NOT_AUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND, QUEUE_RESET -> HttpStatus.NOT_FOUND;
            case BAD_REQUEST, VALIDATION_FAILED -> HttpStatus.BAD_REQUEST;
            case PAYLOAD_TOO_LARGE -> HttpStatus.REQUEST_ENTITY_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case NAME_TAKEN, ALREADY_IN_ROOM, ROOM_FULL -> HttpStatus.CONFLICT;
            case INVITE_EXPIRED -> HttpStatus.GONE;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case SERVICE_DEGRADED, DB_UNAVAILABLE, DISCORD_QUEUE_FULL -> HttpStatus.SERVICE_UNAVAILABLE;
            case INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            // Admission outcomes travel in a 200 body (REQUIREMENTS §2); elsewhere they are client errors.
            default -> HttpStatus.BAD_REQUEST;
        };
    }

    /** The code a framework-generated status (404 route, 405, 415, bad JSON…) stands for. */
    public static ErrorCode codeOf(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> ErrorCode.NOT_AUTHENTICATED;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
            case REQUEST_ENTITY_TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case TOO_MANY_REQUESTS -> ErrorCode.RATE_LIMITED;
            case SERVICE_UNAVAILABLE -> ErrorCode.SERVICE_DEGRADED;
            default -> status.getCode() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }
}
