package io.tilemud.websocket.connect;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import io.tilemud.config.LambdaContexts;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * REQUEST authorizer of {@code $connect} (RT-01): the same token checks as the HTTP API (signature against the
 * issuer's JWKS, {@code iss}, {@code aud}, {@code exp}). A missing or bad token fails with "Unauthorized", which API
 * Gateway turns into 401 before any handler or session is touched.
 */
public class AuthorizerHandler extends MicronautRequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {
    /** Bounds the first JWKS download on a cold start. */
    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(5);

    // The reactive validators the HTTP security filter uses: the synchronous JWT validator ignores JWKS
    // (reactive) signature configurations.
    private final java.util.Collection<TokenValidator<Object>> validators;

    public AuthorizerHandler() {
        super();
        this.validators = validators(getApplicationContext());
    }

    public AuthorizerHandler(ApplicationContext context) {
        super(context);
        this.validators = validators(context);
    }

    /** The no-argument constructor's context (in a Lambda): only this handler's beans, see {@link LambdaContexts}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContexts.builder();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static java.util.Collection<TokenValidator<Object>> validators(ApplicationContext context) {
        return (java.util.Collection) context.getBeansOfType(TokenValidator.class);
    }

    @Override
    public IamPolicyResponse execute(APIGatewayCustomAuthorizerEvent event) {
        String token = BearerToken.from(event.getQueryStringParameters(), event.getHeaders())
                .orElseThrow(() -> new IllegalStateException("Unauthorized"));
        String subject = Flux.fromIterable(validators)
                .concatMap(validator -> validator.validateToken(token, null))
                .next()
                .blockOptional(VALIDATION_TIMEOUT)
                .map(Authentication::getName)
                .orElseThrow(() -> new IllegalStateException("Unauthorized"));
        return IamPolicyResponse.builder()
                .withPrincipalId(subject)
                .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                        .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponse.allowStatement(event.getMethodArn())))
                        .build())
                .withContext(Map.of("subject", subject))
                .build();
    }
}
