package io.tilemud.contract;

/**
 * Where the browser client lives (WEB-*): the path it is served under (locally by the HTTP emulator, in AWS by
 * CloudFront) and the WebSocket subprotocol it offers. Browsers cannot set headers on a WebSocket handshake, so the
 * client offers {@code [SUBPROTOCOL, accessToken]} in {@code Sec-WebSocket-Protocol}; {@code $connect} echoes
 * {@link #SUBPROTOCOL}, never the token.
 */
public final class WebClient {
    /** URL path prefix of the client, with the trailing slash. */
    public static final String PATH = "/play/";
    /** The generated runtime configuration beside the static files. */
    public static final String CONFIG_FILE = "config.json";
    /** Class-path folder the local stack serves the client from (web-client/public is packaged there). */
    public static final String RESOURCE_ROOT = "play/";
    /** The protocol the client speaks; offered first, echoed by {@code $connect}. */
    public static final String SUBPROTOCOL = "tilemud.v1";

    private WebClient() {
    }
}
