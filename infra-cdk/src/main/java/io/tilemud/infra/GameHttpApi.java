package io.tilemud.infra;

import io.tilemud.contract.HttpApiCors;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The players' and operators' HTTP API (payload v2). A JWT authorizer guards every route but health and version;
 * one Lambda integration per function, shared by that function's routes.
 */
public final class GameHttpApi extends Construct {
    private final HttpApi api;
    private final HttpStage stage;

    /**
     * @param webClientOrigin {@code https://<distribution domain>}, the browser client's origin: always allowed by
     *                        CORS (a deploy-time token; no cycle, since the distribution does not depend on the API)
     */
    public GameHttpApi(Construct scope, String id, StackSettings settings, JwtIssuer issuer, Functions functions,
                       String webClientOrigin) {
        super(scope, id);
        var authorizer = new HttpJwtAuthorizer("JwtAuthorizer", issuer.issuer(), HttpJwtAuthorizerProps.builder()
                .authorizerName("tilemud-jwt")
                .jwtAudience(List.of(issuer.audience()))
                .identitySource(List.of("$request.header.Authorization"))
                .build());
        api = HttpApi.Builder.create(this, "Api")
                .apiName(settings.stackName() + "-http")
                .description("TileMUD HTTP API")
                .createDefaultStage(false) // the stage below carries the throttle
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(allowedOrigins(settings.corsOrigins(), webClientOrigin))
                        // The same settings the local emulator answers with (io.tilemud.contract.HttpApiCors).
                        .allowHeaders(HttpApiCors.ALLOW_HEADERS)
                        .allowMethods(HttpApiCors.ALLOW_METHODS.stream().map(CorsHttpMethod::valueOf).toList())
                        .exposeHeaders(HttpApiCors.EXPOSE_HEADERS)
                        .maxAge(Duration.seconds(HttpApiCors.MAX_AGE_SECONDS))
                        .build())
                .build();
        stage = api.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.httpThrottle().ratePerSecond())
                        .burstLimit(settings.httpThrottle().burst())
                        .build())
                .build());

        Map<FunctionId, HttpLambdaIntegration> integrations = new EnumMap<>(FunctionId.class);
        for (HttpRoutes.Route route : HttpRoutes.ALL) {
            var integration = integrations.computeIfAbsent(route.target(), target -> new HttpLambdaIntegration(
                    target.constructId() + "Integration", functions.get(target).alias(),
                    HttpLambdaIntegrationProps.builder()
                            .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                            .build()));
            api.addRoutes(AddRoutesOptions.builder()
                    .path(route.path())
                    .methods(List.of(HttpMethod.valueOf(route.method())))
                    .integration(integration)
                    .authorizer(route.authenticated() ? authorizer : new HttpNoneAuthorizer())
                    .build());
        }
    }

    /** The web client's origin plus the configured ones; {@code *} alone when configured (it subsumes the rest). */
    static List<String> allowedOrigins(List<String> configured, String webClientOrigin) {
        if (configured.contains("*")) {
            return List.of("*");
        }
        var origins = new ArrayList<String>();
        origins.add(webClientOrigin);
        origins.addAll(configured);
        return List.copyOf(origins);
    }

    public HttpApi api() {
        return api;
    }

    /** {@code https://{api-id}.execute-api.{region}.amazonaws.com}: the same API as {@link #url()}, no trailing slash. */
    public String endpoint() {
        return api.getApiEndpoint();
    }

    /** {@code https://{api-id}.execute-api.{region}.amazonaws.com/}. */
    public String url() {
        return stage.getUrl();
    }
}
