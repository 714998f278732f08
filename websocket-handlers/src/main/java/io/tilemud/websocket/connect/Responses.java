package io.tilemud.websocket.connect;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.micronaut.json.JsonMapper;
import io.tilemud.error.ApiError;

import java.io.IOException;
import java.io.UncheckedIOException;

/** WebSocket route responses. */
public final class Responses {
    private Responses() {
    }

    public static APIGatewayV2WebSocketResponse status(int status) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }

    /** A refused handshake carrying the one error contract, serialized like every other error body. */
    static APIGatewayV2WebSocketResponse refused(int status, ApiError error, JsonMapper json) {
        APIGatewayV2WebSocketResponse response = status(status);
        try {
            response.setBody(json.writeValueAsString(error));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response;
    }
}
