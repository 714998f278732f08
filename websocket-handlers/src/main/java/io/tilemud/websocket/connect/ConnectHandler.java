package io.tilemud.websocket.connect;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.micronaut.json.JsonMapper;
import io.tilemud.config.LambdaContexts;
import io.tilemud.error.ApiError;
import io.tilemud.contract.WebClient;
import io.tilemud.error.ErrorCode;
import io.tilemud.realtime.ConnectResult;
import io.tilemud.realtime.RealtimeService;
import io.tilemud.user.UserService;

import io.tilemud.database.DatabaseFailures;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code $connect} (RT-01): binds the connection to the caller's admitted session ({@code ?sessionId=}, plus
 * {@code reconnectionToken=} inside grace and optionally the last acknowledged {@code lastSeq=} for the resume,
 * RT-06). Refusals change nothing and fail the handshake.
 */
public class ConnectHandler extends MicronautRequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final RealtimeService realtime;
    private final UserService users;
    private final JsonMapper json;

    public ConnectHandler() {
        super();
        this.realtime = getApplicationContext().getBean(RealtimeService.class);
        this.users = getApplicationContext().getBean(UserService.class);
        this.json = getApplicationContext().getBean(JsonMapper.class);
    }

    public ConnectHandler(ApplicationContext context) {
        super(context);
        this.realtime = context.getBean(RealtimeService.class);
        this.users = context.getBean(UserService.class);
        this.json = context.getBean(JsonMapper.class);
    }

    /** The no-argument constructor's context (in a Lambda): only this handler's beans, see {@link LambdaContexts}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContexts.builder();
    }

    @Override
    public APIGatewayV2WebSocketResponse execute(APIGatewayV2WebSocketEvent event) {
        Object subject = event.getRequestContext().getAuthorizer() == null ? null
                : event.getRequestContext().getAuthorizer().get("principalId");
        if (subject == null) {
            return Responses.refused(401, ApiError.of(ErrorCode.NOT_AUTHENTICATED, "no authorized principal"), json);
        }
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        Long lastSeq = null;
        if (query.get("lastSeq") != null) {
            // Digits only, as in a frame: Long.parseLong would also take "+5" and "-0".
            String text = query.get("lastSeq");
            try {
                lastSeq = text.matches("0|[1-9][0-9]{0,18}") ? Long.parseLong(text) : -1L;
            } catch (NumberFormatException e) {
                lastSeq = -1L;
            }
            if (lastSeq < 0) {
                return Responses.refused(400, ApiError.of(ErrorCode.VALIDATION_FAILED,
                        "lastSeq must be a non-negative integer"), json);
            }
        }
        // Refuse before the session is touched: answering 200 without echoing a subprotocol the browser offered makes
        // the browser fail the handshake after $connect ran, which left the session in grace.
        if (BearerToken.offersProtocols(event.getHeaders()) && !BearerToken.offersGameProtocol(event.getHeaders())) {
            return Responses.refused(400, ApiError.of(ErrorCode.VALIDATION_FAILED, "offer the " + WebClient.SUBPROTOCOL
                    + " subprotocol (with the access token beside it) or none"), json);
        }
        UUID userId;
        try {
            userId = users.idOf(subject.toString());
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            // Transient, like every outage answer (RT-08): the client retries the handshake with backoff.
            return Responses.refused(503, ApiError.of(ErrorCode.DB_UNAVAILABLE, "the game cannot load right now"), json);
        }
        ConnectResult result = realtime.connect(event.getRequestContext().getConnectionId(), userId,
                query.get("sessionId"), query.get("reconnectionToken"), lastSeq);
        return switch (result) {
            case ConnectResult.Connected connected -> {
                APIGatewayV2WebSocketResponse ok = Responses.status(200);
                if (BearerToken.offersGameProtocol(event.getHeaders())) {
                    Map<String, String> headers = new HashMap<>();
                    headers.put(BearerToken.PROTOCOL_HEADER, WebClient.SUBPROTOCOL);
                    ok.setHeaders(headers);
                }
                yield ok;
            }
            case ConnectResult.Refused(var code, String message) -> Responses.refused(code.isTransient() ? 503 : 403,
                    ApiError.of(code, message), json);
        };
    }
}
