package io.tilemud.websocket.realtime;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.LambdaApplicationContextBuilder;
import io.micronaut.security.token.validator.TokenValidator;
import io.tilemud.config.LambdaContexts;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.realtime.RealtimeService;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, handler init: the context a handler builds in a Lambda (its no-argument constructor, through
 * {@code newApplicationContextBuilder}) creates that handler's graph in init and not the jar's every singleton.
 */
class HandlerContextTest {
    private final Map<String, Object> properties = SharedTestInfra.get().properties();

    @Test
    void intentHandlersOwnContext_createsItsServiceAtInit_andNeitherOfMicronautsUnusedRedisConnections() {
        try (ApplicationContext first = LambdaContexts.builder().properties(properties).start()) {
            IntentHandler handler = new IntentHandler(first);
            // What the no-argument constructor builds: the handler's own override, not LambdaContexts directly.
            try (ApplicationContext own = handler.newApplicationContextBuilder().properties(properties).start()) {
                assertTrue(own.getEnvironment().getActiveNames().containsAll(java.util.Set.of("function", "lambda")),
                        own.getEnvironment().getActiveNames()::toString);
                assertTrue(own.getActiveBeanRegistrations(RealtimeService.class).isEmpty(), "nothing before the handler");

                new IntentHandler(own);

                assertEquals(1, own.getActiveBeanRegistrations(RealtimeService.class).size());
                assertTrue(own.getActiveBeanRegistrations(StatefulRedisConnection.class).isEmpty());
                assertTrue(own.getActiveBeanRegistrations(StatefulRedisPubSubConnection.class).isEmpty());
                // The HTTP security chain is the authorizer's, not this route's.
                assertTrue(own.getActiveBeanRegistrations(TokenValidator.class).isEmpty());
            }
        }
    }

    /** The control: Micronaut's own Lambda builder creates every singleton, so the test above can fail. */
    @Test
    void micronautsLambdaBuilder_createsEverySingleton_theUnusedRedisConnectionsToo() {
        try (ApplicationContext eager = new LambdaApplicationContextBuilder().properties(properties).start()) {
            assertFalse(eager.getActiveBeanRegistrations(StatefulRedisConnection.class).isEmpty());
            assertFalse(eager.getActiveBeanRegistrations(RealtimeService.class).isEmpty());
        }
    }
}
