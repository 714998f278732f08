package io.tilemud.localstack.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.tilemud.contract.WebClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web client as CloudFront serves it in AWS, on the HTTP emulator's port: public (outside the JWT authorizer),
 * {@code /} redirects to {@value WebClient#PATH}, files come from the class path under
 * {@value WebClient#RESOURCE_ROOT} (the jar packages {@code web-client/public} there), and {@code config.json} is
 * generated for this stack. Every answer is {@code Cache-Control: no-cache} with an ETag, so a reload after a rebuild
 * never runs stale code yet unchanged files cost a 304.
 */
final class StaticFiles {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("woff2", "font/woff2"));

    private record File(byte[] bytes, String type, String etag) {
    }

    private final ClassLoader loader;
    private final File config;
    private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

    /** @param configJson the generated {@code config.json} (API base, WebSocket URL, build, identity settings) */
    StaticFiles(ClassLoader loader, String configJson) {
        this.loader = loader;
        byte[] bytes = configJson.getBytes(StandardCharsets.UTF_8);
        this.config = new File(bytes, TYPES.get("json"), etag(bytes));
    }

    /** The answer for {@code path} (already percent-decoded), or empty when the path is not the client's. */
    Optional<FullHttpResponse> handle(FullHttpRequest request, String path) {
        if (!path.equals("/") && !path.equals("/play") && !path.startsWith(WebClient.PATH)) {
            return Optional.empty();
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            return Optional.of(HttpEventMapper.json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"the web client is read with GET\",\"transient\":false}"));
        }
        if (!path.startsWith(WebClient.PATH)) {
            return Optional.of(redirect(WebClient.PATH));
        }
        String relative = path.substring(WebClient.PATH.length());
        if (relative.isEmpty()) {
            relative = "index.html";
        }
        // Refuse anything that could leave the client's folder or confuse the class loader.
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")
                    || segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return Optional.of(HttpEventMapper.json(HttpResponseStatus.BAD_REQUEST,
                        "{\"code\":\"BAD_REQUEST\",\"message\":\"not a file path\",\"transient\":false}"));
            }
        }
        Optional<File> file = relative.equals(WebClient.CONFIG_FILE) ? Optional.of(config)
                : cache.computeIfAbsent(relative, this::load);
        if (file.isEmpty()) {
            return Optional.of(HttpEventMapper.json(HttpResponseStatus.NOT_FOUND,
                    "{\"code\":\"NOT_FOUND\",\"message\":\"no such file\",\"transient\":false}"));
        }
        return Optional.of(answer(request, file.get()));
    }

    private Optional<File> load(String relative) {
        int dot = relative.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(relative.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(WebClient.RESOURCE_ROOT + relative)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new File(bytes, type, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FullHttpResponse answer(FullHttpRequest request, File file) {
        String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean notModified = file.etag().equals(ifNoneMatch);
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                notModified || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.bytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.type());
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, notModified ? 0 : file.bytes().length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set(HttpHeaderNames.ETAG, file.etag());
        response.headers().set("X-Content-Type-Options", "nosniff");
        return response;
    }

    private static FullHttpResponse redirect(String location) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
