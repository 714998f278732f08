package io.tilemud.localstack.http;

/**
 * Bodies of the answers API Gateway gives itself, before any handler runs. The 401 is exactly AWS's (its JWT
 * authorizer's body cannot be changed on an HTTP API); the emulator's own refusals also carry our error contract's
 * {@code code}/{@code transient} beside API Gateway's {@code message}, so a client reading either shape understands them.
 */
final class ApiGatewayErrors {
    static final String UNAUTHORIZED = "{\"message\":\"Unauthorized\"}";
    static final String INTERNAL = "{\"code\":\"INTERNAL_ERROR\",\"message\":\"Internal Server Error\",\"transient\":true}";
    static final String TOO_LARGE = "{\"code\":\"PAYLOAD_TOO_LARGE\",\"message\":\"Request Entity Too Large: the HTTP API "
            + "takes at most 10 MB\",\"transient\":false}";

    private ApiGatewayErrors() {
    }

    /** @param why a fixed phrase: never echo the request, it may carry anything */
    static String badRequest(String why) {
        return "{\"code\":\"BAD_REQUEST\",\"message\":\"Bad Request: " + why + "\",\"transient\":false}";
    }
}
