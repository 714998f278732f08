package io.tilemud.websocket.realtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.tilemud.config.LambdaContexts;
import io.tilemud.realtime.RealtimeService;
import io.tilemud.websocket.connect.Responses;

/**
 * Every intent route and {@code $default}: the frame goes to {@link RealtimeService}, which answers over the
 * connection ({@code event.ack} only after the change is committed).
 */
public class IntentHandler extends MicronautRequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final RealtimeService realtime;

    public IntentHandler() {
        super();
        this.realtime = getApplicationContext().getBean(RealtimeService.class);
    }

    public IntentHandler(ApplicationContext context) {
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
        realtime.message(event.getRequestContext().getConnectionId(), event.getBody());
        return Responses.status(200);
    }
}
