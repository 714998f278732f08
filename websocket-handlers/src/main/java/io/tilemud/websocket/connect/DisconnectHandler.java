package io.tilemud.websocket.connect;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.tilemud.config.LambdaContexts;
import io.tilemud.realtime.RealtimeService;

/** {@code $disconnect}: an unexpected close puts the session in grace (ADM-18); after a leave nothing is left. */
public class DisconnectHandler extends MicronautRequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final RealtimeService realtime;

    public DisconnectHandler() {
        super();
        this.realtime = getApplicationContext().getBean(RealtimeService.class);
    }

    public DisconnectHandler(ApplicationContext context) {
        super(context);
        this.realtime = context.getBean(RealtimeService.class);
    }

    /** The no-argument constructor's context (in a Lambda): only this handler's beans, see {@link LambdaContexts}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContexts.builder();
    }

    @Override
    public APIGatewayV2WebSocketResponse execute(APIGatewayV2WebSocketEvent event) {
        realtime.disconnected(event.getRequestContext().getConnectionId());
        return Responses.status(200);
    }
}
