package io.tilemud.infra;

import java.util.List;
import java.util.Objects;

/** The HTTP API's routes and the function serving each. Only {@code /health} and {@code /version} are public. */
public final class HttpRoutes {

    /**
     * @param method        HTTP method, or {@code ANY}
     * @param path          API Gateway path ({@code {proxy+}} for a greedy tail)
     * @param authenticated whether the JWT authorizer guards the route
     */
    public record Route(String method, String path, FunctionId target, boolean authenticated) {
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(target, "target");
        }

        /** API Gateway route key, e.g. {@code POST /characters}. */
        public String routeKey() {
            return method + " " + path;
        }
    }

    public static final List<Route> ALL = List.of(
            new Route("POST", "/instances/{instanceId}/connect", FunctionId.ADMISSION, true),
            new Route("GET", "/instances/{instanceId}/queue/status", FunctionId.ADMISSION, true),
            new Route("DELETE", "/instances/{instanceId}/queue", FunctionId.ADMISSION, true),
            // The web client's instance picker (WEB-02): any signed-in player.
            new Route("GET", "/instances", FunctionId.ADMISSION, true),
            new Route("DELETE", "/sessions/{sessionId}", FunctionId.ADMISSION, true),
            new Route("POST", "/session/bootstrap", FunctionId.SESSION_BOOTSTRAP, true),
            new Route("POST", "/characters", FunctionId.CHARACTERS, true),
            new Route("GET", "/characters", FunctionId.CHARACTERS, true),
            new Route("PUT", "/me/active-character", FunctionId.CHARACTERS, true),
            // Rooms of four (ROOM-01, ROOM-04): served by the characters function, which already owns player data.
            new Route("POST", "/rooms", FunctionId.CHARACTERS, true),
            new Route("POST", "/rooms/join", FunctionId.CHARACTERS, true),
            new Route("POST", "/rooms/{roomId}/invites", FunctionId.CHARACTERS, true),
            new Route("GET", "/rooms/{roomId}", FunctionId.CHARACTERS, true),
            new Route("DELETE", "/rooms/{roomId}/members/me", FunctionId.CHARACTERS, true),
            new Route("DELETE", "/rooms/{roomId}", FunctionId.CHARACTERS, true),
            // Discord account link (DSC-01): player data too.
            new Route("POST", "/me/discord", FunctionId.CHARACTERS, true),
            new Route("GET", "/me/discord", FunctionId.CHARACTERS, true),
            new Route("DELETE", "/me/discord", FunctionId.CHARACTERS, true),
            // The admin role claim is checked by the application (ADM-21); the authorizer proves identity only.
            new Route("ANY", "/admin/{proxy+}", FunctionId.ADMIN, true),
            // Load balancers and deploy checks call these without a token (OPS-01).
            new Route("GET", "/health", FunctionId.OPS, false),
            new Route("GET", "/version", FunctionId.OPS, false));

    private HttpRoutes() {
    }
}
