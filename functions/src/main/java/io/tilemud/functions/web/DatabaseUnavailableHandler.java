package io.tilemud.functions.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.tilemud.database.DatabaseFailures;
import io.tilemud.database.DatabaseSettings;
import io.tilemud.error.ApiError;
import io.tilemud.error.ErrorCode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any endpoint that reads PostgreSQL while it is down, stalled or restarting answers {@code 503 DB_UNAVAILABLE}
 * ({@code transient: true}) with {@code Retry-After}, instead of a 500 that tells a client nothing (issue 11). The
 * waits that end in these exceptions are bounded in {@code application.yml} ({@code datasources.default}).
 *
 * <p>Micronaut picks the closest exception handler, so the framework's own handlers for its more specific exceptions
 * (validation, conversion, authorization…) still apply; any other unexpected exception stays a 500
 * {@code INTERNAL_ERROR} that echoes nothing, as {@link ApiErrorResponseProcessor} answers it.
 */
@Singleton
public class DatabaseUnavailableHandler implements ExceptionHandler<RuntimeException, HttpResponse<ApiError>> {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);
    private final DatabaseSettings settings;

    public DatabaseUnavailableHandler(DatabaseSettings settings) {
        this.settings = settings;
    }

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, RuntimeException exception) {
        if (DatabaseFailures.isUnavailable(exception)) {
            LOG.warn("{} {}: database unavailable: {}", request.getMethod(), request.getPath(), exception.toString());
            return ErrorResponses.of(ErrorCode.DB_UNAVAILABLE, "the game cannot reach its database right now; retry shortly")
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(settings.retryAfterSeconds()));
        }
        LOG.error("{} {} failed unexpectedly", request.getMethod(), request.getPath(), exception);
        return ErrorResponses.of(ErrorCode.INTERNAL_ERROR, "unexpected server error");
    }
}
