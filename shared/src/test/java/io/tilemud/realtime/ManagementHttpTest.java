package io.tilemud.realtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ManagementHttp} against the JDK's HTTP(S) server and a raw socket: answers as sent, keep-alive reuse, the
 * connection bound, every failure within its timeout (no answer, a dropped connection, nothing listening, TLS that
 * must not be trusted) and a connection that failed never reused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementHttpTest {
    private static final ManagementHttp.Limits LIMITS = new ManagementHttp.Limits(4, Duration.ofSeconds(1),
            Duration.ofMillis(500), Duration.ofSeconds(30), 16);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private KeyStore keyStore;
    private X509Certificate certificate;

    /** One request as the server saw it. */
    private record Seen(String method, String path, Map<String, List<String>> headers, String body, int clientPort) {
    }

    @BeforeAll
    void certificate(@TempDir Path dir) throws Exception {
        // A self-signed certificate for "localhost" only, made with the JDK's keytool (no test dependency needed).
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keyStore.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) keyStore.getCertificate("server");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        open.clear();
    }

    private HttpServer server(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.setExecutor(workers);
        server.start();
        open.add(() -> server.stop(0));
        return server;
    }

    private ManagementHttp client(String host, int port, io.netty.handler.ssl.SslContext tls, ManagementHttp.Limits limits) {
        ManagementHttp http = new ManagementHttp(host, port, tls, limits);
        open.add(http);
        return http;
    }

    private ManagementHttp client(HttpServer server) {
        return client("127.0.0.1", server.getAddress().getPort(), null, LIMITS);
    }

    /** Answers {@code status} with {@code body}, recording what came. */
    private static HttpHandler answering(int status, String body, Map<String, String> headers, List<Seen> seen) {
        return exchange -> {
            String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), received, exchange.getRemoteAddress().getPort()));
            headers.forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        };
    }

    private static ManagementHttp.Response post(ManagementHttp http, String path, String body) throws Exception {
        return http.send(new ManagementHttp.Request(HttpMethod.POST, path, Map.of("host", "example", "content-type", "application/json",
                "authorization", "AWS4-HMAC-SHA256 test"), body.getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<ManagementHttp.Response> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    // ---- answers ----

    @Test
    void post_answered_theServerGotTheRequestAsSentAndTheStatusComesBack() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = server(answering(200, "", Map.of(), seen));

        ManagementHttp.Response answer = post(client(server), "/local/@connections/abc%3D", "{\"type\":\"x\",\"é\":1}");

        assertEquals(new ManagementHttp.Response(200, "", ""), answer);
        Seen request = seen.getFirst();
        assertEquals("POST", request.method());
        assertEquals("/local/@connections/abc%3D", request.path());
        assertEquals("{\"type\":\"x\",\"é\":1}", request.body());
        assertEquals(List.of("example"), request.headers().get("Host"));
        assertEquals(List.of("AWS4-HMAC-SHA256 test"), request.headers().get("Authorization"));
        assertEquals(List.of(Integer.toString("{\"type\":\"x\",\"é\":1}".getBytes(StandardCharsets.UTF_8).length)),
                request.headers().get("Content-length"));
    }

    @Test
    void delete_emptyBody_sentWithContentLengthZero() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = server(answering(204, "", Map.of(), seen));

        ManagementHttp.Response answer = client(server).send(new ManagementHttp.Request(HttpMethod.DELETE, "/@connections/a", Map.of("host", "h"),
                new byte[0])).get(5, TimeUnit.SECONDS);

        assertEquals(204, answer.status());
        assertEquals("DELETE", seen.getFirst().method());
        assertEquals(List.of("0"), seen.getFirst().headers().get("Content-length"));
    }

    @Test
    void gone_statusErrorTypeAndTheBodyCutToItsBound() throws Exception {
        HttpServer server = server(answering(410, "{\"message\":\"this body is longer than sixteen bytes\"}",
                Map.of("x-amzn-ErrorType", "GoneException"), new CopyOnWriteArrayList<>()));

        ManagementHttp.Response answer = post(client(server), "/@connections/gone", "x");

        assertEquals(new ManagementHttp.Response(410, "GoneException", "{\"message\":\"this"), answer);
    }

    // ---- connections ----

    @Test
    void postsOneAfterAnother_oneKeepAliveConnection() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = server(answering(200, "", Map.of(), seen));
        ManagementHttp http = client(server);

        for (int i = 0; i < 50; i++) {
            assertEquals(200, post(http, "/@connections/" + i, "frame " + i).status());
        }

        assertEquals(50, seen.size());
        assertEquals(1, seen.stream().map(Seen::clientPort).distinct().count(), "one connection for every post");
    }

    @Test
    void serverClosesAfterEachAnswer_everyPostAnsweredOnAFreshConnection() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = server(answering(200, "", Map.of("Connection", "close"), seen));
        ManagementHttp http = client(server);

        for (int i = 0; i < 10; i++) {
            assertEquals(200, post(http, "/@connections/" + i, "frame").status());
        }

        assertEquals(10, seen.stream().map(Seen::clientPort).distinct().count());
    }

    @Test
    void manyPostsAtOnce_allAnswered_neverMoreConnectionsThanTheBound() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        HttpServer server = server(exchange -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            ports.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        ManagementHttp http = client("127.0.0.1", server.getAddress().getPort(), null,
                new ManagementHttp.Limits(4, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), 16));

        List<CompletableFuture<ManagementHttp.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(http.send(new ManagementHttp.Request(HttpMethod.POST, "/@connections/" + i, Map.of("host", "h"), new byte[]{'x'})));
        }
        for (CompletableFuture<ManagementHttp.Response> call : calls) {
            assertEquals(200, call.get(10, TimeUnit.SECONDS).status());
        }

        assertTrue(most.get() <= 4, "at most 4 at once, saw " + most.get());
        assertTrue(ports.size() <= 4, "at most 4 connections, saw " + ports.size());
    }

    @Test
    void sendAll_oneCall_everyRequestSentOnceAndAnsweredInItsPlace() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        // Each answer names the request it answers, so an answer handed to the wrong caller shows.
        HttpServer server = server(exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body, exchange.getRemoteAddress().getPort()));
            byte[] answer = (exchange.getRequestURI().getRawPath() + " " + body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getRawPath().endsWith("/7") ? 410 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        ManagementHttp http = client("127.0.0.1", server.getAddress().getPort(), null,
                new ManagementHttp.Limits(4, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), 64));

        List<ManagementHttp.Request> requests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            requests.add(new ManagementHttp.Request(HttpMethod.POST, "/@connections/" + i,
                    Map.of("host", "h", "x-amz-date", "20261204T000000Z", "authorization", "AWS4-HMAC-SHA256 " + i),
                    ("frame " + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<CompletableFuture<ManagementHttp.Response>> answers = http.sendAll(requests);

        assertEquals(30, answers.size());
        for (int i = 0; i < 30; i++) {
            ManagementHttp.Response answer = answers.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(new ManagementHttp.Response(i == 7 ? 410 : 200, "", "/@connections/" + i + " frame " + i), answer);
        }
        assertEquals(30, seen.size());
        for (int i = 0; i < 30; i++) {
            int n = i;
            Seen request = seen.stream().filter(r -> r.path().equals("/@connections/" + n)).findFirst().orElseThrow();
            assertEquals("POST", request.method());
            assertEquals("frame " + i, request.body());
            assertEquals(List.of("AWS4-HMAC-SHA256 " + i), request.headers().get("Authorization"));
            assertEquals(List.of("20261204T000000Z"), request.headers().get("X-amz-date"));
            assertEquals(List.of(Integer.toString(("frame " + i).length())), request.headers().get("Content-length"));
        }
        assertTrue(seen.stream().map(Seen::clientPort).distinct().count() <= 4, "at most 4 connections");
    }

    @Test
    void sendAll_afterClose_everyAnswerFailsAndNothingIsSent() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = server(answering(200, "", Map.of(), seen));
        ManagementHttp http = client(server);
        http.close();
        Thread.sleep(1_200); // past the shutdown's bound: the event loop has stopped

        List<CompletableFuture<ManagementHttp.Response>> answers = http.sendAll(List.of(
                new ManagementHttp.Request(HttpMethod.POST, "/@connections/a", Map.of("host", "h"), new byte[]{'x'}),
                new ManagementHttp.Request(HttpMethod.POST, "/@connections/b", Map.of("host", "h"), new byte[]{'y'})));

        assertEquals(2, answers.size());
        for (CompletableFuture<ManagementHttp.Response> answer : answers) {
            assertInstanceOf(java.util.concurrent.RejectedExecutionException.class, failure(answer));
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void idleConnection_closedByTheClient_theNextPostOpensAnother() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = server(answering(200, "", Map.of(), seen));
        ManagementHttp http = client("127.0.0.1", server.getAddress().getPort(), null,
                new ManagementHttp.Limits(4, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100), 16));

        assertEquals(200, post(http, "/@connections/a", "1").status());
        Thread.sleep(400);
        assertEquals(200, post(http, "/@connections/a", "2").status());

        assertEquals(2, seen.stream().map(Seen::clientPort).distinct().count());
    }

    @Test
    void healthCheck_connectionAnsweredLongerAgoThanItsIdleTime_notHandedOut() {
        // A frozen Lambda runs no idle-close task: after a thaw the pool must judge a connection by its age alone.
        EmbeddedChannel channel = new EmbeddedChannel();
        long idle = TimeUnit.MILLISECONDS.toNanos(50_000);
        long now = System.nanoTime();

        assertTrue(ManagementHttp.usable(channel, now, idle), "a new connection, never answered yet");
        channel.attr(ManagementHttp.LAST_ANSWER).set(now - idle + 1);
        assertTrue(ManagementHttp.usable(channel, now, idle), "answered just under its idle time ago");
        channel.attr(ManagementHttp.LAST_ANSWER).set(now - idle);
        assertFalse(ManagementHttp.usable(channel, now, idle), "answered its idle time ago");
        channel.attr(ManagementHttp.LAST_ANSWER).set(now);
        channel.close();
        assertFalse(ManagementHttp.usable(channel, now, idle), "closed");
    }

    // ---- failures, each within its bound ----

    @Test
    void noAnswer_failsWithATimeout_andTheNextPostIsNotStuckBehindIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        open.add(release::countDown);
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = server(exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() == 1) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        ManagementHttp http = client(server);

        long started = System.nanoTime();
        Throwable cause = failure(http.send(new ManagementHttp.Request(HttpMethod.POST, "/@connections/slow", Map.of("host", "h"), new byte[]{'x'})));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertInstanceOf(TimeoutException.class, cause, cause.toString());
        assertTrue(tookMillis >= 450 && tookMillis < 2_000, "failed after " + tookMillis + " ms, bound 500 ms");
        // The timed-out connection is closed, not handed to the next post (whose answer would be the late one).
        assertEquals(200, post(http, "/@connections/next", "y").status());
    }

    @Test
    void serverDropsTheConnection_failsAsClosedBeforeTheAnswer() throws Exception {
        ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        open.add(listener);
        workers.submit(() -> {
            try (Socket s = listener.accept()) {
                s.getInputStream().read(new byte[512]);
            }
            return null;
        });
        ManagementHttp http = client("127.0.0.1", listener.getLocalPort(), null, LIMITS);

        Throwable cause = failure(http.send(new ManagementHttp.Request(HttpMethod.POST, "/@connections/a", Map.of("host", "h"), new byte[]{'x'})));

        assertInstanceOf(IOException.class, cause, cause.toString());
    }

    @Test
    void nothingListening_failsFast() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ManagementHttp http = client("127.0.0.1", port, null, LIMITS);

        long started = System.nanoTime();
        Throwable cause = failure(http.send(new ManagementHttp.Request(HttpMethod.POST, "/@connections/a", Map.of("host", "h"), new byte[]{'x'})));

        assertInstanceOf(java.net.ConnectException.class, cause, cause.toString());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2));
    }

    // ---- TLS ----

    private HttpsServer httpsServer(List<Seen> seen) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", answering(200, "", Map.of(), seen));
        server.setExecutor(workers);
        server.start();
        open.add(() -> server.stop(0));
        return server;
    }

    @Test
    void https_certificateTrustedAndNamedForTheHost_answered() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpsServer server = httpsServer(seen);
        ManagementHttp http = client("localhost", server.getAddress().getPort(), ManagementHttp.tls(certificate), LIMITS);

        assertEquals(200, post(http, "/@connections/a", "over TLS").status());
        assertEquals("over TLS", seen.getFirst().body());
    }

    @Test
    void https_certificateNotInTheTrustStore_refusedAndNothingSent() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpsServer server = httpsServer(seen);
        ManagementHttp http = client("localhost", server.getAddress().getPort(), ManagementHttp.tls(), LIMITS);

        Throwable cause = failure(http.send(new ManagementHttp.Request(HttpMethod.POST, "/@connections/a", Map.of("host", "h"), new byte[]{'x'})));

        assertInstanceOf(SSLHandshakeException.class, rootOrSelf(cause), cause.toString());
        assertTrue(seen.isEmpty());
    }

    @Test
    void https_trustedCertificateForAnotherName_refusedAndNothingSent() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpsServer server = httpsServer(seen);
        // The certificate names localhost only; 127.0.0.1 is the same server under a name it does not prove.
        ManagementHttp http = client("127.0.0.1", server.getAddress().getPort(), ManagementHttp.tls(certificate), LIMITS);

        Throwable cause = failure(http.send(new ManagementHttp.Request(HttpMethod.POST, "/@connections/a", Map.of("host", "h"), new byte[]{'x'})));

        assertInstanceOf(SSLHandshakeException.class, rootOrSelf(cause), cause.toString());
        assertTrue(seen.isEmpty());
    }

    private static Throwable rootOrSelf(Throwable t) {
        Throwable at = t;
        while (!(at instanceof SSLHandshakeException) && at.getCause() != null) {
            at = at.getCause();
        }
        return at;
    }
}
