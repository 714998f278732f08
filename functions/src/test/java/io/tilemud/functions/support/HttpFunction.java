package io.tilemud.functions.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.context.ApplicationContext;
import io.tilemud.functions.web.HttpApiFunction;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;

/**
 * The production Lambda handler class, wired to the embedded servers. One per JVM (its context start, with Flyway
 * and the connection pools, is the expensive part), shared by the handler test classes.
 */
public final class HttpFunction {
    private static volatile HttpFunction shared;

    private final HttpApiFunction handler;
    private final ApplicationContext context;

    private HttpFunction(ApplicationContext context) {
        this.context = context;
        this.handler = new HttpApiFunction(context);
    }

    public static synchronized HttpFunction shared() {
        if (shared == null) {
            ApplicationContext context = ApplicationContext.builder()
                    .properties(SharedTestInfra.get().properties())
                    .start();
            shared = new HttpFunction(context);
            Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        }
        return shared;
    }

    public HttpResult send(APIGatewayV2HTTPEvent event) {
        return HttpResult.of(handler.handleRequest(event, new LocalLambdaContext()));
    }

    public HttpResult send(HttpEvents.Builder event) {
        return send(event.build());
    }

    public ApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }
}
