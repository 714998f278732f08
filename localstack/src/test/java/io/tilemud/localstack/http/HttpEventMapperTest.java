package io.tilemud.localstack.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tilemud.localstack.RequestIds;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator must produce the event API Gateway produces: compared with a recorded payload-2.0 event. */
class HttpEventMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static JsonNode recorded() throws Exception {
        try (InputStream in = HttpEventMapperTest.class.getResourceAsStream("/fixtures/apigw-v2-http-event.json")) {
            return JSON.readTree(in);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void toEvent_jsonPostWithQueryAndCookies_matchesRecordedShape() throws Exception {
        // GIVEN a request as curl would send it
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/characters?x=1&y=a%20b&x=2",
                Unpooled.copiedBuffer("{\"name\":\"Aria\"}", StandardCharsets.UTF_8));
        request.headers().add("Host", "127.0.0.1:3000").add("Content-Type", "application/json")
                .add("X-Multi", "a").add("X-Multi", "b").add("Cookie", "a=1; b=2").add("User-Agent", "curl/8.5.0");
        // WHEN
        APIGatewayV2HTTPEvent event = HttpEventMapper.toEvent(request, new InetSocketAddress("127.0.0.1", 5555),
                "req-1", Map.of("sub", "alice"));
        JsonNode produced = JSON.valueToTree(event);
        JsonNode expected = JSON.valueToTree(JSON.treeToValue(recorded(), APIGatewayV2HTTPEvent.class));
        // THEN the same fields are present at the top level and in requestContext / http
        assertEquals(new TreeSet<>(fieldNames(expected)), new TreeSet<>(fieldNames(produced)));
        assertEquals(new TreeSet<>(fieldNames(expected.get("requestContext"))), new TreeSet<>(fieldNames(produced.get("requestContext"))));
        assertEquals(new TreeSet<>(fieldNames(expected.get("requestContext").get("http"))),
                new TreeSet<>(fieldNames(produced.get("requestContext").get("http"))));
        // and the values follow API Gateway's rules
        assertEquals("2.0", event.getVersion());
        assertEquals("/characters", event.getRawPath());
        assertEquals("x=1&y=a%20b&x=2", event.getRawQueryString());
        assertEquals("1,2", event.getQueryStringParameters().get("x"));
        assertEquals("a b", event.getQueryStringParameters().get("y"));
        assertEquals("a,b", event.getHeaders().get("x-multi"));
        assertTrue(event.getHeaders().keySet().stream().allMatch(h -> h.equals(h.toLowerCase())));
        assertFalse(event.getHeaders().containsKey("cookie"));
        assertEquals(List.of("a=1", "b=2"), event.getCookies());
        assertEquals("{\"name\":\"Aria\"}", event.getBody());
        assertFalse(event.getIsBase64Encoded());
        assertEquals("POST", event.getRequestContext().getHttp().getMethod());
        assertEquals("127.0.0.1", event.getRequestContext().getHttp().getSourceIp());
        assertEquals("$default", event.getRequestContext().getStage());
        assertEquals("req-1", event.getRequestContext().getRequestId());
        assertEquals("alice", event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub"));
    }

    @Test
    void toEvent_binaryBody_base64Encoded() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x", Unpooled.wrappedBuffer(png));
        request.headers().add("Content-Type", "image/png");

        APIGatewayV2HTTPEvent event = HttpEventMapper.toEvent(request, null, "req-2", null);

        assertTrue(event.getIsBase64Encoded());
        assertEquals(Base64.getEncoder().encodeToString(png), event.getBody());
        assertEquals(null, event.getRequestContext().getAuthorizer());
    }

    @Test
    void domainPrefix_isTheHostsFirstLabel() {
        assertEquals("abc123", HttpEventMapper.domainPrefix("abc123.execute-api.us-east-1.amazonaws.com"));
        assertEquals("127", HttpEventMapper.domainPrefix("127.0.0.1:3000"));
        assertEquals("localhost", HttpEventMapper.domainPrefix("localhost:3000"));
        assertEquals("localhost", HttpEventMapper.domainPrefix("localhost"));
        assertEquals("", HttpEventMapper.domainPrefix(""));
    }

    @Test
    void requestIds_areDistinctVersion4Uuids() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.next();
            java.util.UUID parsed = java.util.UUID.fromString(id);
            assertEquals(4, parsed.version(), id);
            assertEquals(2, parsed.variant(), id);
            assertEquals(id, parsed.toString());
            assertTrue(seen.add(id), "repeated " + id);
        }
    }
}
