package io.tilemud.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;
import io.micronaut.function.aws.MicronautLambdaContext;

/**
 * The application context a {@code MicronautRequestHandler} builds for itself in a Lambda (its no-argument
 * constructor): the same environments as Micronaut's {@code LambdaApplicationContextBuilder}, configuration bound
 * and checked at init, but singletons created on demand instead of all of them.
 *
 * <p>Why: one shaded jar serves several handler classes, and Micronaut's builder instantiates every singleton in it
 * during init. For the intent route that was 355 beans where its own graph is 182: the HTTP security chain, the
 * router, Micronaut's default Redis connection and a pub/sub connection nobody reads ({@code CacheConnection} opens
 * its own), ~600 more classes loaded (issue 15: init is the cold-start latency a player waits through). Each handler's
 * constructor resolves its service, so everything an invocation uses is still created in the init phase.
 */
public final class LambdaContexts {
    private LambdaContexts() {
    }

    public static ApplicationContextBuilder builder() {
        return ApplicationContext.builder()
                .environments(Environment.FUNCTION, MicronautLambdaContext.ENVIRONMENT_LAMBDA)
                .eagerInitConfiguration(true);
    }
}
