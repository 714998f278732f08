package io.tilemud.functions.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.tilemud.error.ApiError;
import io.tilemud.error.ErrorCode;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Every error Micronaut produces itself (unknown route, wrong method, malformed JSON, wrong types, failed
 * validation, unexpected exceptions) leaves with the one error contract {@code {code, message, transient}}.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ApiErrorResponseProcessor implements ErrorResponseProcessor<ApiError> {

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ErrorCode code = ErrorResponses.codeOf(response.getStatus());
        String message = code == ErrorCode.INTERNAL_ERROR
                // never echo internals (SQL, stack details) to a client
                ? "unexpected server error"
                : context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        if (message.isBlank()) {
            message = response.getStatus().getReason();
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(ApiError.of(code, message));
    }
}
