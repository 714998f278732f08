package io.tilemud.websocket.connect;

import io.tilemud.contract.WebClient;

import java.util.Map;
import java.util.Optional;

/**
 * Where a WebSocket client puts its access token: the {@code token} query parameter, or — for browsers, which cannot
 * set headers on a WebSocket — one of the {@code Sec-WebSocket-Protocol} values (the one shaped like a JWT).
 */
final class BearerToken {
    static final String QUERY_PARAMETER = "token";
    static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    private BearerToken() {
    }

    static Optional<String> from(Map<String, String> query, Map<String, String> headers) {
        if (query != null && query.get(QUERY_PARAMETER) != null && !query.get(QUERY_PARAMETER).isBlank()) {
            return Optional.of(query.get(QUERY_PARAMETER));
        }
        return protocols(headers).filter(p -> p.chars().filter(c -> c == '.').count() == 2).findFirst();
    }

    /** Whether the client offered any subprotocol at all (a browser that does must get one echoed). */
    static boolean offersProtocols(Map<String, String> headers) {
        return protocols(headers).findAny().isPresent();
    }

    /**
     * Whether {@link WebClient#SUBPROTOCOL} is among the offered values: the one $connect echoes. A browser fails the
     * handshake when none of its offers comes back, and the token is never echoed (it would sit in every proxy log).
     */
    static boolean offersGameProtocol(Map<String, String> headers) {
        return protocols(headers).anyMatch(WebClient.SUBPROTOCOL::equals);
    }

    private static java.util.stream.Stream<String> protocols(Map<String, String> headers) {
        if (headers == null) {
            return java.util.stream.Stream.empty();
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(PROTOCOL_HEADER))
                .flatMap(e -> java.util.Arrays.stream(e.getValue().split(",")))
                .map(String::strip)
                .filter(p -> !p.isEmpty());
    }
}
