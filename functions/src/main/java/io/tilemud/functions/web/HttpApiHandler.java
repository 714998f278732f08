package io.tilemud.functions.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.function.BinaryTypeConfiguration;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventHandler;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPResponseServletResponse;
import io.micronaut.servlet.http.BodyBuilder;
import io.micronaut.servlet.http.ServletExchange;

/**
 * Micronaut's payload-2.0 handler with {@link HttpApiRequest} as the request (headers built once per request), and
 * the beans every exchange needs looked up once instead of per request.
 */
final class HttpApiHandler extends APIGatewayV2HTTPEventHandler {
    private final ConversionService conversion;
    private final BinaryTypeConfiguration binaryTypes;
    private final BodyBuilder bodyBuilder;

    HttpApiHandler(ApplicationContext context) {
        super(context);
        this.conversion = context.getConversionService();
        this.binaryTypes = context.getBean(BinaryTypeConfiguration.class);
        this.bodyBuilder = context.getBean(BodyBuilder.class);
    }

    @Override
    protected ServletExchange<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> createExchange(
            APIGatewayV2HTTPEvent request, APIGatewayV2HTTPResponse response) {
        return new HttpApiRequest<>(request, new Response(conversion, binaryTypes), conversion, bodyBuilder);
    }

    /** Its constructor is protected: the same response, made from here. */
    private static final class Response extends APIGatewayV2HTTPResponseServletResponse<Object> {
        Response(ConversionService conversion, BinaryTypeConfiguration binaryTypes) {
            super(conversion, binaryTypes);
        }
    }
}
