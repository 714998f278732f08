package io.tilemud.contract;

import java.util.List;

/**
 * The HTTP API's CORS configuration: what the synthesized API Gateway HTTP API declares ({@code corsPreflight}) and
 * what the local emulation answers, from one place so a browser sees the same headers in both. API Gateway answers
 * preflight {@code OPTIONS} requests itself, before any authorizer, and adds the allow-origin header to every
 * integration response of an allowed origin.
 */
public final class HttpApiCors {
    /** Request headers a browser may send: the bearer token and JSON bodies. */
    public static final List<String> ALLOW_HEADERS = List.of("Authorization", "Content-Type");
    public static final List<String> ALLOW_METHODS = List.of("GET", "POST", "PUT", "DELETE", "OPTIONS");
    /** The throttled countdown reads {@code Retry-After} from a 429 (ADM-12). */
    public static final List<String> EXPOSE_HEADERS = List.of("Retry-After");
    /** How long a browser may cache a preflight answer, in seconds. */
    public static final int MAX_AGE_SECONDS = 600;
    /** Origins allowed when none are configured. */
    public static final List<String> DEFAULT_ALLOW_ORIGINS = List.of("*");

    private HttpApiCors() {
    }
}
