package io.tilemud.functions.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.tilemud.error.ErrorCode;

/** Bodies over 16 KiB are refused before any parsing: no endpoint needs more, and parsing costs memory. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestSizeFilter {
    public static final long MAX_BODY_BYTES = 16 * 1024;

    @RequestFilter
    @Nullable
    public HttpResponse<?> limit(HttpRequest<?> request) {
        long length = request.getContentLength();
        if (length > MAX_BODY_BYTES) {
            return ErrorResponses.of(ErrorCode.PAYLOAD_TOO_LARGE, "request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        return null;
    }
}
