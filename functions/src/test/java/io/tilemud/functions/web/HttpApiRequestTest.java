package io.tilemud.functions.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.function.BinaryTypeConfiguration;
import io.micronaut.function.aws.proxy.ApiGatewayServletRequest;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventServletRequest;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPResponseServletResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpParameters;
import io.micronaut.servlet.http.BodyBuilder;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link HttpApiRequest} reads an event exactly as Micronaut's own {@code APIGatewayV2HTTPEventServletRequest} does
 * (the class it stands in for, compared field by field on the same events), and builds its headers once.
 */
class HttpApiRequestTest {
    private final ApplicationContext context = HttpFunction.shared().context();
    private final ConversionService conversion = context.getConversionService();
    private final BinaryTypeConfiguration binaryTypes = context.getBean(BinaryTypeConfiguration.class);
    private final BodyBuilder bodyBuilder = context.getBean(BodyBuilder.class);

    private APIGatewayV2HTTPResponseServletResponse<Object> response() {
        return new APIGatewayV2HTTPResponseServletResponse<>(conversion, binaryTypes) {
        };
    }

    private HttpApiRequest<Object> ours(APIGatewayV2HTTPEvent event) {
        return new HttpApiRequest<>(event, response(), conversion, bodyBuilder);
    }

    private APIGatewayV2HTTPEventServletRequest<Object> micronauts(APIGatewayV2HTTPEvent event) {
        return new APIGatewayV2HTTPEventServletRequest<>(event, response(), conversion, bodyBuilder);
    }

    @Test
    void getWithRepeatedQueryParametersAndListHeaders_readAsMicronautReadsIt() throws Exception {
        APIGatewayV2HTTPEvent event = HttpEvents.get("/instances/i-1/queue/status?characterId=c%201&a=1&a=2&empty=")
                .header("Accept", "text/html, application/json;q=0.9")
                .header("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
                .bearer("a.b.c").build();

        assertSameReading(micronauts(event), ours(event));
    }

    @Test
    void postWithJsonBody_readAsMicronautReadsIt() throws Exception {
        APIGatewayV2HTTPEvent event = HttpEvents.request("POST", "/instances/i-1/connect?replaceToken=r")
                .json("{\"characterId\":\"ä\",\"clientBuild\":\"dev\"}").build();

        assertSameReading(micronauts(event), ours(event));
    }

    @Test
    void base64Body_decodedAsMicronautDecodesIt() throws Exception {
        APIGatewayV2HTTPEvent event = HttpEvents.request("PUT", "/characters/x").header("content-type", "application/octet-stream").build();
        event.setBody(Base64.getEncoder().encodeToString(new byte[]{0, 1, 2, (byte) 0xff}));
        event.setIsBase64Encoded(true);

        assertSameReading(micronauts(event), ours(event));
        assertArrayEquals(new byte[]{0, 1, 2, (byte) 0xff}, ours(event).getBodyBytes());
    }

    @Test
    void noBody_refusedAsMicronautRefusesIt() {
        APIGatewayV2HTTPEvent event = HttpEvents.get("/version").build();
        event.setBody(null);

        assertThrows(ApiGatewayServletRequest.EmptyBodyException.class, () -> micronauts(event).getBodyBytes());
        assertThrows(ApiGatewayServletRequest.EmptyBodyException.class, () -> ours(event).getBodyBytes());
    }

    @Test
    void unknownMethod_isCustomAsInMicronaut() {
        APIGatewayV2HTTPEvent event = HttpEvents.request("BREW", "/version").build();

        assertEquals(micronauts(event).getMethod(), ours(event).getMethod());
    }

    /** What made the class worth having: one header map per request, so a change to it is seen by later readers. */
    @Test
    void headers_builtOncePerRequest() {
        HttpApiRequest<Object> request = ours(HttpEvents.get("/version").header("X-Trace", "t-1").build());

        assertSame(request.getHeaders(), request.getHeaders());
        request.getHeaders().add("X-Added", "yes");
        assertEquals("yes", request.getHeaders().get("x-added"));
        assertEquals("t-1", request.getHeaders().get("X-TRACE"));
    }

    private static void assertSameReading(APIGatewayV2HTTPEventServletRequest<Object> expected,
                                          HttpApiRequest<Object> actual) throws Exception {
        assertEquals(expected.getMethod(), actual.getMethod());
        assertEquals(expected.getMethodName(), actual.getMethodName());
        assertEquals(expected.getUri(), actual.getUri());
        assertEquals(expected.getPath(), actual.getPath());
        assertEquals(headers(expected.getHeaders()), headers(actual.getHeaders()));
        assertEquals(expected.getHeaders().get("CONTENT-TYPE"), actual.getHeaders().get("content-type"));
        assertEquals(expected.getContentType(), actual.getContentType());
        assertEquals(expected.getContentLength(), actual.getContentLength());
        assertEquals(expected.getCharacterEncoding(), actual.getCharacterEncoding());
        assertEquals(parameters(expected.getParameters()), parameters(actual.getParameters()));
        if (expected.getNativeRequest().getBody() != null) { // no body: noBody_refusedAsMicronautRefusesIt
            assertEquals(expected.getBody(String.class), actual.getBody(String.class));
            assertEquals(new String(expected.getBodyBytes(), StandardCharsets.ISO_8859_1),
                    new String(actual.getBodyBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    private static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.names().forEach(name -> all.put(name, headers.getAll(name)));
        return all;
    }

    private static Map<String, List<String>> parameters(HttpParameters parameters) {
        Map<String, List<String>> all = new TreeMap<>();
        parameters.names().forEach(name -> all.put(name, parameters.getAll(name)));
        return all;
    }
}
