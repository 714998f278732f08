package io.tilemud.functions.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.function.aws.proxy.security.MicronautLambdaAuthenticationFetcher;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Switches off micronaut-aws's {@link MicronautLambdaAuthenticationFetcher}, which authenticates a request from the
 * {@code x-amzn-oidc-identity} header or the authorizer's claims without checking anything. Behind an HTTP API that
 * header comes straight from the client, so it would let anyone claim to be anyone. The only way in is a bearer
 * token that passes signature, issuer, audience and expiry checks (ADM-01).
 */
@Singleton
@Replaces(MicronautLambdaAuthenticationFetcher.class)
public class NoTrustedHeaderAuthentication implements AuthenticationFetcher<HttpRequest<?>> {

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return Publishers.empty();
    }
}
