package io.tilemud.websocket.connect;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.tilemud.error.ApiError;

/** WebSocket route responses. */
public final class Responses {
    private Responses() {
    }

    public static APIGatewayV2WebSocketResponse status(int status) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }

    static APIGatewayV2WebSocketResponse refused(int status, ApiError error) {
        APIGatewayV2WebSocketResponse response = status(status);
        response.setBody("{\"code\":\"" + error.code() + "\",\"message\":\"" + error.message().replace("\"", "'")
                + "\",\"transient\":" + error.transientFailure() + "}");
        return response;
    }
}
