package io.tilemud.functions.web;

import com.fasterxml.jackson.core.JsonParseException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.serde.exceptions.SerdeException;
import io.tilemud.error.ApiError;
import io.tilemud.error.ErrorCode;
import io.tilemud.input.InputRejectedException;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;

import java.util.stream.Collectors;

/**
 * Every error Micronaut produces itself (unknown route, wrong method, malformed JSON, wrong types, failed
 * validation, unexpected exceptions) leaves with the one error contract {@code {code, message, transient}}.
 *
 * <p>A 400 is {@code BAD_REQUEST} when there is no JSON to read (syntax error, empty or missing body) and
 * {@code VALIDATION_FAILED} when the JSON is well formed but a value breaks a rule (wrong type, an integer out of
 * range, a float for an integer, text PostgreSQL cannot store, a constraint): a client can tell a broken encoder from
 * bad data, and neither is worth retrying.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ApiErrorResponseProcessor implements ErrorResponseProcessor<ApiError> {
    private static final int MAX_MESSAGE_CHARS = 200;

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ErrorCode code = ErrorResponses.codeOf(response.getStatus());
        String message;
        if (code == ErrorCode.INTERNAL_ERROR) {
            // never echo internals (SQL, stack details) to a client
            message = "unexpected server error";
        } else if (response.getStatus() == HttpStatus.BAD_REQUEST && isRuleBroken(context.getRootCause().orElse(null))) {
            code = ErrorCode.VALIDATION_FAILED;
            message = validationMessage(context);
        } else if (response.getStatus() == HttpStatus.BAD_REQUEST && context.getRootCause().isPresent()) {
            // Parser details ("at [Source: REDACTED ...]") help nobody; say what is wrong in the contract's words.
            message = "request body is not valid JSON";
        } else {
            message = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        }
        if (message.isBlank()) {
            message = response.getStatus().getReason();
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(ApiError.of(code, message));
    }

    /** Well-formed JSON whose values do not fit: anything but a syntax error or a missing body. */
    private static boolean isRuleBroken(Throwable error) {
        if (error == null) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InputRejectedException || t instanceof ConstraintViolationException) {
                return true;
            }
            if (t instanceof JsonParseException || t instanceof JsonSyntaxException) {
                return false;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SerdeException || t instanceof ConversionErrorException) {
                // e.g. an object where a string belongs, an unknown enum constant, a malformed UUID
                return !(t.getMessage() != null && t.getMessage().contains("Empty body"));
            }
        }
        return false;
    }

    private static String validationMessage(ErrorContext context) {
        Throwable root = context.getRootCause().orElse(null);
        for (Throwable t = root; t != null; t = t.getCause()) {
            if (t instanceof InputRejectedException rejected) {
                return rejected.getMessage();
            }
            if (t instanceof ConstraintViolationException violations) {
                return violations.getMessage();
            }
        }
        String joined = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        // Serde's own messages end with the parser location and name our classes; the client needs the field and
        // the rule, in a bounded message (the value may be 16 KiB of anything).
        int at = joined.indexOf("\n at [");
        String message = (at < 0 ? joined : joined.substring(0, at))
                .replace("Unable to decode request body: ", "")
                .replace("Error decoding JSON stream for type [request]: ", "")
                .replaceAll("Error decoding property \\[\\S+ (\\w+)\\] of type \\[[^\\]]*\\]: ", "$1: ")
                .replaceAll("`(?:[\\w$]+\\.)*(?:[\\w]+\\$)?([\\w]+)`", "$1")
                .replace("Unexpected token START_ARRAY, expected START_OBJECT", "body must be a JSON object")
                .strip();
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
    }
}
