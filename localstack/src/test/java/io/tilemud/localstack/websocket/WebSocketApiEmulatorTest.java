package io.tilemud.localstack.websocket;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.tilemud.embedded.Ports;
import io.tilemud.localstack.RawWebSocket;
import io.tilemud.localstack.TextWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket API emulation, driven the way real clients drive API Gateway: a standard WebSocket client on one
 * side, Lambda handlers using the real {@code ApiGatewayManagementApiClient} on the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketApiEmulatorTest {
    private final BlockingQueue<APIGatewayV2WebSocketEvent> connects = new LinkedBlockingQueue<>();
    private final BlockingQueue<APIGatewayV2WebSocketEvent> disconnects = new LinkedBlockingQueue<>();
    private final BlockingQueue<APIGatewayV2WebSocketEvent> recorded = new LinkedBlockingQueue<>();
    private WebSocketApiEmulator emulator;
    private ApiGatewayManagementApiClient management;

    private static APIGatewayV2WebSocketResponse status(int code) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(code);
        return response;
    }

    @BeforeAll
    void start() throws Exception {
        RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> authorizer = (event, context) -> {
            String token = event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("token");
            if (token == null) {
                throw new RuntimeException("Unauthorized");
            }
            var statement = "good".equals(token) ? IamPolicyResponse.allowStatement(event.getMethodArn())
                    : IamPolicyResponse.denyStatement(event.getMethodArn());
            return IamPolicyResponse.builder().withPrincipalId("user-1")
                    .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                            .withVersion(IamPolicyResponse.VERSION_2012_10_17).withStatement(List.of(statement)).build())
                    .withContext(Map.of("userId", "user-1")).build();
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> connect = (event, context) -> {
            connects.add(event);
            return status(200);
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> disconnect = (event, context) -> {
            disconnects.add(event);
            return status(200);
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> echo = (event, context) -> {
            management.postToConnection(b -> b.connectionId(event.getRequestContext().getConnectionId())
                    .data(SdkBytes.fromUtf8String("echo:" + event.getRequestContext().getRouteKey() + ":" + event.getBody())));
            return status(200);
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> thread = (event, context) -> {
            management.postToConnection(b -> b.connectionId(event.getRequestContext().getConnectionId())
                    .data(SdkBytes.fromUtf8String("thread:" + Thread.currentThread().getName())));
            return status(200);
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> record = (event, context) -> {
            recorded.add(event);
            return status(200);
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> fail = (event, context) -> {
            recorded.add(event);
            return status(502);
        };
        emulator = WebSocketApiEmulator.start(Ports.free(), new WebSocketApiRoutes(java.util.Optional.of(authorizer),
                Map.of("$connect", connect, "$disconnect", disconnect, "echo", echo, "thread", thread, "record", record,
                        "fail", fail, "$default", echo)));
        management = ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create(emulator.managementEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    void stop() {
        management.close();
        emulator.close();
    }

    private TextWebSocket open(String query) throws Exception {
        return TextWebSocket.open(URI.create("ws://127.0.0.1:" + emulator.port() + "/local" + query));
    }

    /** Opens a client and returns it with the $connect event API Gateway produced for it. */
    private record Opened(TextWebSocket client, APIGatewayV2WebSocketEvent connect) {
        String connectionId() {
            return connect.getRequestContext().getConnectionId();
        }
    }

    private Opened openTagged(String query) throws Exception {
        String tag = java.util.UUID.randomUUID().toString();
        TextWebSocket client = open(query + "&tag=" + tag);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            APIGatewayV2WebSocketEvent event = connects.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && tag.equals(event.getQueryStringParameters().get("tag"))) {
                return new Opened(client, event);
            }
        }
        throw new AssertionError("$connect was not invoked for " + tag);
    }

    /** The next event the record and fail routes were given for {@code connectionId}. */
    private APIGatewayV2WebSocketEvent recordedFor(String connectionId) throws InterruptedException {
        return nextFor(recorded, connectionId, "no recorded event");
    }

    private APIGatewayV2WebSocketEvent disconnectOf(String connectionId) throws InterruptedException {
        return nextFor(disconnects, connectionId, "$disconnect was not invoked");
    }

    /** The next event of {@code connectionId} in {@code events} within 5 s; others' events are skipped. */
    private static APIGatewayV2WebSocketEvent nextFor(BlockingQueue<APIGatewayV2WebSocketEvent> events,
                                                      String connectionId, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            APIGatewayV2WebSocketEvent event = events.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && connectionId.equals(event.getRequestContext().getConnectionId())) {
                return event;
            }
        }
        throw new AssertionError(failure + " for " + connectionId);
    }

    @Test
    void connect_allowedToken_connectEventCarriesAuthorizerContextAndQuery() throws Exception {
        Opened opened = openTagged("?token=good&sessionId=s-1");
        TextWebSocket client = opened.client();

        APIGatewayV2WebSocketEvent event = opened.connect();

        assertEquals("$connect", event.getRequestContext().getRouteKey());
        assertEquals("CONNECT", event.getRequestContext().getEventType());
        assertEquals("local", event.getRequestContext().getStage());
        assertEquals("user-1", event.getRequestContext().getAuthorizer().get("userId"));
        assertEquals("user-1", event.getRequestContext().getAuthorizer().get("principalId"));
        assertEquals("s-1", event.getQueryStringParameters().get("sessionId"));
        assertNotNull(event.getRequestContext().getConnectionId());
        client.socket().sendClose(1000, "bye").join();
    }

    @Test
    void message_typeWithRoute_routedThereAndAnsweredThroughManagementApi() throws Exception {
        TextWebSocket client = openTagged("?token=good").client();

        client.socket().sendText("{\"type\":\"echo\",\"seq\":1}", true).join();
        client.socket().sendText("{\"type\":\"nope\"}", true).join();
        client.socket().sendText("not json", true).join();

        assertEquals("echo:echo:{\"type\":\"echo\",\"seq\":1}", client.messages.poll(5, TimeUnit.SECONDS));
        assertEquals("echo:$default:{\"type\":\"nope\"}", client.messages.poll(5, TimeUnit.SECONDS));
        assertEquals("echo:$default:not json", client.messages.poll(5, TimeUnit.SECONDS));
        client.socket().sendClose(1000, "bye").join();
    }

    /** Lambda's handler thread has a name; an unnamed virtual thread costs Logback a reflective lookup per event. */
    @Test
    void message_handlerRunsOnAThreadNamedAfterItsConnection() throws Exception {
        Opened opened = openTagged("?token=good");

        opened.client().socket().sendText("{\"type\":\"thread\"}", true).join();

        assertEquals("thread:" + Connection.INBOUND_THREAD_PREFIX + opened.connectionId(),
                opened.client().messages.poll(5, TimeUnit.SECONDS));
        opened.client().socket().sendClose(1000, "bye").join();
    }

    @Test
    void messages_manyInARow_handledInArrivalOrder() throws Exception {
        TextWebSocket client = openTagged("?token=good").client();
        for (int i = 1; i <= 50; i++) {
            client.socket().sendText("{\"type\":\"echo\",\"seq\":" + i + "}", true).join();
        }
        for (int i = 1; i <= 50; i++) {
            assertEquals("echo:echo:{\"type\":\"echo\",\"seq\":" + i + "}", client.messages.poll(5, TimeUnit.SECONDS));
        }
        client.socket().sendClose(1000, "bye").join();
    }

    @Test
    void connect_deniedToken_handshakeRefusedWith403() {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> open("?token=bad"));

        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        assertEquals(403, handshake.getResponse().statusCode());
    }

    @Test
    void connect_noToken_handshakeRefusedWith401() {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> open(""));

        assertEquals(401, ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());
    }

    @Test
    void messages_eachEventHasItsOwnVersion4RequestAndMessageIds() throws Exception {
        Opened opened = openTagged("?token=good");
        TextWebSocket client = opened.client();

        client.socket().sendText("{\"type\":\"record\"}", true).join();
        client.socket().sendText("{\"type\":\"record\"}", true).join();
        APIGatewayV2WebSocketEvent first = recordedFor(opened.connectionId());
        APIGatewayV2WebSocketEvent second = recordedFor(opened.connectionId());

        List<String> ids = List.of(opened.connect().getRequestContext().getRequestId(),
                first.getRequestContext().getRequestId(), first.getRequestContext().getMessageId(),
                second.getRequestContext().getRequestId(), second.getRequestContext().getMessageId());
        for (String id : ids) {
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
        }
        assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), ids.toString());
        client.socket().sendClose(1000, "bye").join();
    }

    /** A failed integration is answered as API Gateway answers it, naming the request the handler was given. */
    @Test
    void message_routeAnswers5xx_clientGetsInternalServerErrorWithThatRequestsId() throws Exception {
        Opened opened = openTagged("?token=good");

        opened.client().socket().sendText("{\"type\":\"fail\"}", true).join();
        APIGatewayV2WebSocketEvent failed = recordedFor(opened.connectionId());
        String answer = opened.client().messages.poll(5, TimeUnit.SECONDS);

        assertNotNull(answer);
        var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer);
        assertEquals("Internal server error", error.path("message").asText());
        assertEquals(opened.connectionId(), error.path("connectionId").asText());
        assertEquals(failed.getRequestContext().getRequestId(), error.path("requestId").asText());
        opened.client().socket().sendClose(1000, "bye").join();
    }

    /** The posted bytes are the frame: multi-byte characters arrive as they were sent. */
    @Test
    void postToConnection_multiByteUtf8_deliveredAsTheSameText() throws Exception {
        Opened opened = openTagged("?token=good");
        String text = "{\"say\":\"h\u00e9llo \u2713 \ud83c\udfb2\"}";

        management.postToConnection(b -> b.connectionId(opened.connectionId()).data(SdkBytes.fromUtf8String(text)));

        assertEquals(text, opened.client().messages.poll(5, TimeUnit.SECONDS));
        opened.client().socket().sendClose(1000, "bye").join();
    }

    /** A text frame must be UTF-8 (a browser closes on anything else): bytes that are not are decoded first. */
    @Test
    void postToConnection_invalidUtf8_deliveredAsTextWithAReplacementCharacter() throws Exception {
        Opened opened = openTagged("?token=good");
        byte[] data = {'a', (byte) 0xC3, 'b'}; // 0xC3 opens a two-byte sequence that 'b' does not continue

        management.postToConnection(b -> b.connectionId(opened.connectionId()).data(SdkBytes.fromByteArray(data)));

        assertEquals("a\uFFFDb", opened.client().messages.poll(5, TimeUnit.SECONDS));
        opened.client().socket().sendClose(1000, "bye").join();
    }

    @Test
    void postToConnection_unknownId_goneExceptionInTheSdk() {
        assertThrows(GoneException.class, () -> management.postToConnection(b -> b.connectionId("AAAAAAAAAAAAAAAA")
                .data(SdkBytes.fromUtf8String("x"))));
    }

    @Test
    void postToConnection_unknownId_410WithTheErrorTypeAndAMessageAsApiGatewayAnswers() throws Exception {
        HttpResponse<String> gone = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(emulator.managementEndpoint() + "/@connections/AAAAAAAAAAAAAAAA"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(410, gone.statusCode());
        assertEquals("GoneException", gone.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        // The JS SDK v3 reports UnknownError for an empty message; the Java SDK puts it in the exception.
        assertFalse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(gone.body()).path("message").asText().isBlank(),
                gone.body());
        GoneException sdk = assertThrows(GoneException.class, () -> management.postToConnection(b -> b
                .connectionId("AAAAAAAAAAAAAAAA").data(SdkBytes.fromUtf8String("x"))));
        assertEquals("GoneException", sdk.awsErrorDetails().errorCode());
        assertTrue(sdk.awsErrorDetails().errorMessage().contains("AAAAAAAAAAAAAAAA"), sdk.getMessage());
    }

    @Test
    void closeFrameWithoutStatusCode_echoedWithoutOne_neverAs65535() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(emulator.port(), "/local?token=good", Map.of())) {
            assertEquals(101, raw.status);

            raw.send(0x8, new byte[0]);
            RawWebSocket.Frame echo = raw.read();

            assertEquals(0x8, echo.opcode());
            // RFC 6455: 1005 means "no code received" and must not be sent; the echo carries no code either.
            assertEquals(-1, echo.closeCode(), "close payload " + java.util.Arrays.toString(echo.payload()));
        }
        try (RawWebSocket raw = RawWebSocket.open(emulator.port(), "/local?token=good", Map.of())) {
            raw.send(0x8, new byte[]{0x03, (byte) 0xe8}); // 1000
            assertEquals(1000, raw.read().closeCode());
        }
    }

    @Test
    void getConnection_open_identityAndTimesInTheSdk() throws Exception {
        Opened opened = openTagged("?token=good");
        TextWebSocket client = opened.client();
        String id = opened.connectionId();

        GetConnectionResponse info = management.getConnection(b -> b.connectionId(id));

        assertEquals("127.0.0.1", info.identity().sourceIp());
        assertNotNull(info.connectedAt());
        assertNotNull(info.lastActiveAt());
        client.socket().sendClose(1000, "bye").join();
    }

    @Test
    void deleteConnection_open_clientClosedAndDisconnectInvoked() throws Exception {
        Opened opened = openTagged("?token=good");
        TextWebSocket client = opened.client();
        String id = opened.connectionId();

        management.deleteConnection(b -> b.connectionId(id));

        assertEquals(1000, client.closed.get(5, TimeUnit.SECONDS));
        APIGatewayV2WebSocketEvent disconnect = disconnectOf(id);
        assertEquals("DISCONNECT", disconnect.getRequestContext().getEventType());
        assertThrows(GoneException.class, () -> management.postToConnection(b -> b.connectionId(id).data(SdkBytes.fromUtf8String("x"))));
    }

    @Test
    void message_over128KiB_serverClosesTheConnectionWithoutRoutingIt() throws Exception {
        Opened opened = openTagged("?token=good");

        // (the JDK client fragments large messages into frames under 32 KiB; the message limit still applies)
        opened.client().socket().sendText("{\"type\":\"echo\",\"pad\":\"" + "x".repeat(130 * 1024) + "\"}", true);

        // THEN API Gateway's frame limit holds: the connection is dropped ($disconnect) and nothing was echoed
        disconnectOf(opened.connectionId());
        assertTrue(opened.client().messages.isEmpty());
        assertThrows(GoneException.class, () -> management.postToConnection(b -> b.connectionId(opened.connectionId())
                .data(SdkBytes.fromUtf8String("x"))));
    }

    @Test
    void postToConnection_clientStoppedReadingPastOneMiB_closedWithDisconnectWhileOthersStillReceive() throws Exception {
        // GIVEN a client that never reads, and one that does
        String tag = java.util.UUID.randomUUID().toString();
        try (RawWebSocket stalled = RawWebSocket.open(emulator.port(), "/local?token=good&tag=" + tag, Map.of())) {
            assertEquals(101, stalled.status);
            String stalledId = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (stalledId == null && System.nanoTime() < deadline) {
                APIGatewayV2WebSocketEvent event = connects.poll(100, TimeUnit.MILLISECONDS);
                if (event != null && tag.equals(event.getQueryStringParameters().get("tag"))) {
                    stalledId = event.getRequestContext().getConnectionId();
                }
            }
            assertNotNull(stalledId);
            Opened reader = openTagged("?token=good");
            String frame = "x".repeat(32 * 1024);
            // WHEN frames pile up for it (the kernel's socket buffers take the first few MiB)
            String id = stalledId;
            int posted = 0;
            boolean gone = false;
            while (!gone && posted < 4000) {
                try {
                    management.postToConnection(b -> b.connectionId(id).data(SdkBytes.fromUtf8String(frame)));
                    posted++;
                } catch (GoneException e) {
                    gone = true;
                }
            }
            // THEN it is closed and gets its $disconnect, and the other client is served as before
            assertTrue(gone, "still connected after " + posted + " frames");
            assertEquals("DISCONNECT", disconnectOf(id).getRequestContext().getEventType());
            management.postToConnection(b -> b.connectionId(reader.connectionId()).data(SdkBytes.fromUtf8String("still here")));
            assertEquals("still here", reader.client().messages.poll(5, TimeUnit.SECONDS));
            reader.client().socket().sendClose(1000, "bye").join();
        }
    }
}
