package io.tilemud.contract;

/**
 * Fully qualified Lambda handler names, so the CDK stack and the local stack point at the same classes.
 * Strings, not class literals: the CDK module does not have the function code on its class path.
 */
public final class Handlers {
    /** Every HTTP API route (payload v2): Micronaut's API Gateway v2 function, behind our check of the request target. */
    public static final String HTTP = "io.tilemud.functions.web.HttpApiFunction::handleRequest";
    /** EventBridge schedule, once a minute: grace expiry, stale sessions, queue promotion, idle rooms. */
    public static final String JANITOR = "io.tilemud.functions.janitor.JanitorHandler";
    /** WebSocket REQUEST authorizer for $connect. */
    public static final String WS_AUTHORIZER = "io.tilemud.websocket.connect.AuthorizerHandler";
    public static final String WS_CONNECT = "io.tilemud.websocket.connect.ConnectHandler";
    public static final String WS_DISCONNECT = "io.tilemud.websocket.connect.DisconnectHandler";
    /** Every intent route and $default. */
    public static final String WS_INTENTS = "io.tilemud.websocket.realtime.IntentHandler";

    /** Shaded jars the build produces, relative to the repository root. */
    public static final String FUNCTIONS_JAR = "functions/target/tilemud-functions.jar";
    public static final String WEBSOCKET_JAR = "websocket-handlers/target/tilemud-websocket-handlers.jar";

    private Handlers() {
    }
}
