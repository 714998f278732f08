package io.tilemud.functions.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.function.aws.proxy.ApiGatewayServletRequest;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpParameters;
import io.micronaut.servlet.http.BodyBuilder;
import io.micronaut.servlet.http.ServletHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;

/**
 * A payload-2.0 event as Micronaut's request, read as Micronaut's own {@code APIGatewayV2HTTPEventServletRequest}
 * reads it (method, URI from the path and query parameters, headers, query parameters, body), except that the
 * headers are built once per request.
 *
 * <p>Why: Micronaut's class builds a new case-insensitive header map from the event on every {@code getHeaders()}
 * call, and routing, CORS, content negotiation, charset, locale, host resolution and the token reader each call it
 * — about fifteen times per request. In issue 15's admission profile that rebuilding was 13 % of the stack JVM's
 * samples. Its class is final, hence this one. Held equal to it by {@code HttpApiRequestTest}.
 */
final class HttpApiRequest<B> extends ApiGatewayServletRequest<B, APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiRequest.class);

    private final ServletHttpResponse<APIGatewayV2HTTPResponse, ?> response;
    /** One thread serves a request at a time; a racing second build would only cost what every call cost before. */
    private MutableHttpHeaders headers;

    HttpApiRequest(APIGatewayV2HTTPEvent event, ServletHttpResponse<APIGatewayV2HTTPResponse, ?> response,
                   ConversionService conversionService, BodyBuilder bodyBuilder) {
        super(conversionService, event,
                buildUri(event.getRequestContext().getHttp().getPath(), event.getQueryStringParameters(),
                        Collections.emptyMap()),
                parseMethod(() -> event.getRequestContext().getHttp().getMethod()), LOG, bodyBuilder);
        this.response = response;
    }

    @Override
    public byte[] getBodyBytes() throws EmptyBodyException {
        return getBodyBytes(requestEvent::getBody, requestEvent::getIsBase64Encoded);
    }

    @Override
    public MutableHttpHeaders getHeaders() {
        MutableHttpHeaders built = headers;
        if (built == null) {
            built = getHeaders(requestEvent::getHeaders, Collections::emptyMap);
            headers = built;
        }
        return built;
    }

    @Override
    public MutableHttpParameters getParameters() {
        return getParameters(Collections::emptyMap,
                () -> transformCommaSeparatedValue(requestEvent.getQueryStringParameters()));
    }

    @Override
    public ServletHttpResponse<APIGatewayV2HTTPResponse, ?> getResponse() {
        return response;
    }
}
