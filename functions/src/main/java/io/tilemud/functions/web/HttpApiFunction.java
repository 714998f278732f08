package io.tilemud.functions.web;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.HandlerUtils;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.json.JsonMapper;
import io.tilemud.error.ApiError;
import io.tilemud.error.ErrorCode;
import io.tilemud.ops.metrics.MetricsFlush;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API's Lambda handler: Micronaut's payload-2.0 function behind a check of the request target, the first
 * code we own that sees an API Gateway event.
 *
 * <p>Micronaut builds a {@link java.net.URI} from the event's path and query before any route, filter or error
 * handler runs, so a raw {@code <}, {@code "}, DEL or C1 control in a path id, or a malformed {@code %zz} escape,
 * escaped as an exception and the caller saw a 500. Here, characters a URI may not hold are percent-encoded (the
 * route then decodes them and answers what its documentation says for such an id: {@code INVALID_INSTANCE},
 * {@code NOT_FOUND}, …), and a malformed escape or an unpaired surrogate — no URI at all — is answered with the
 * error contract's 400 {@code BAD_REQUEST}.
 */
public class HttpApiFunction extends APIGatewayV2HTTPEventFunction {
    /**
     * Serves every request instead of the handler the superclass builds (which stays idle: its field is private):
     * the same Micronaut handler, with headers built once per request ({@link HttpApiRequest}).
     */
    private final HttpApiHandler handler;
    private final MetricsFlush metricsFlush;

    public HttpApiFunction() {
        super();
        this.handler = new HttpApiHandler(applicationContext);
        this.metricsFlush = applicationContext.getBean(MetricsFlush.class);
    }

    public HttpApiFunction(ApplicationContext context) {
        super(context);
        this.handler = new HttpApiHandler(applicationContext);
        this.metricsFlush = applicationContext.getBean(MetricsFlush.class);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context lambdaContext) {
        try {
            Optional<String> problem = RequestTarget.normalize(event);
            if (problem.isPresent()) {
                return refused(problem.get());
            }
            // As the superclass's handleRequest, with this class's handler.
            HandlerUtils.configureWithContext(this, lambdaContext);
            return handler.exchange(event, new APIGatewayV2HTTPResponse()).getResponse().getNativeResponse();
        } finally {
            // Lambda may freeze the container once we return: the invocation's metrics are written now (issue 14).
            metricsFlush.flush();
        }
    }

    private APIGatewayV2HTTPResponse refused(String message) {
        String body;
        try {
            body = applicationContext.getBean(JsonMapper.class)
                    .writeValueAsString(ApiError.of(ErrorCode.BAD_REQUEST, message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(ErrorResponses.statusOf(ErrorCode.BAD_REQUEST).getCode())
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
