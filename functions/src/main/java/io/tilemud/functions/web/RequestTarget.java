package io.tilemud.functions.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The path and query of an API Gateway event made fit for {@link java.net.URI} (RFC 3986), without changing what
 * they mean: valid characters and well-formed {@code %XX} escapes stay as they are, every other character is
 * percent-encoded as UTF-8. A malformed escape or an unpaired surrogate cannot be repaired without guessing, so it
 * is reported instead.
 */
final class RequestTarget {
    private static final String PATH_EXTRA = "-._~!$&'()*+,;=:@/";
    private static final String QUERY_EXTRA = PATH_EXTRA + "?";

    private RequestTarget() {
    }

    /** Rewrites the event's path fields and raw query in place; the problem when they are not a URI at all. */
    static Optional<String> normalize(APIGatewayV2HTTPEvent event) {
        var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        try {
            if (http != null && http.getPath() != null) {
                http.setPath(encode(http.getPath(), PATH_EXTRA, "path"));
            }
            if (event.getRawPath() != null) {
                event.setRawPath(encode(event.getRawPath(), PATH_EXTRA, "path"));
            }
            if (event.getRawQueryString() != null) {
                // '&' and '=' keep their meaning; the rest of the query is held to the same rules as the path.
                event.setRawQueryString(encode(event.getRawQueryString(), QUERY_EXTRA, "query string"));
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    static String encode(String raw, String allowed, String what) {
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
                    throw new IllegalArgumentException("malformed percent-encoding in the " + what);
                }
                if (out != null) {
                    out.append(raw, i, i + 3);
                }
                i += 2;
                continue;
            }
            if (isAsciiAlphaNumeric(c) || (c < 0x80 && allowed.indexOf(c) >= 0)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
            }
            int codePoint = raw.codePointAt(i);
            if (Character.isSurrogate(c) && Character.charCount(codePoint) == 1) {
                throw new IllegalArgumentException("unpaired surrogate in the " + what);
            }
            for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            i += Character.charCount(codePoint) - 1;
        }
        return out == null ? raw : out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiAlphaNumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
