package io.tilemud.realtime;

import io.tilemud.crypto.Sha256;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 for the management API's calls ({@code execute-api}), as the SDK's {@code AwsV4HttpSigner}
 * computes it (double-encoded path, every given header signed, the payload's SHA-256 sent and signed as
 * {@code x-amz-content-sha256}), but with the day's signing
 * key derived once per day instead of with four HMACs on every post (the SDK's signer was half of a post's CPU).
 * {@code SigV4Test} holds it equal to the SDK's signature. Thread safe.
 */
final class SigV4 {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String region;
    private final String service;
    /** The last derived key: (secret, day) → key. Replaced whole, so readers never see a torn pair. */
    private volatile SigningKey cached;

    /** {@code mac} is initialized with {@code key}; each signature uses a clone (no provider lookup, no key set-up). */
    private record SigningKey(String secret, String day, byte[] key, Mac mac) {
    }

    private final Sha256 sha256 = new Sha256();

    /** The last formatted {@code x-amz-date}, replaced whole like {@link #cached}. */
    private volatile AmzDate lastDate;

    private record AmzDate(long epochSecond, String text) {
    }

    SigV4(String region, String service) {
        this.region = region;
        this.service = service;
    }

    /** The {@code host} header as signed: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        return port(uri) == defaultPort(uri) ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** The port a request to {@code uri} goes to: its own, or the scheme's default. */
    static int port(URI uri) {
        return uri.getPort() == -1 ? defaultPort(uri) : uri.getPort();
    }

    /**
     * @param headers the headers the request will carry besides {@code host} (e.g. content-type), all signed
     * @return the headers to add: {@code x-amz-content-sha256}, {@code x-amz-date}, {@code x-amz-security-token}
     *         (session credentials) and {@code authorization}
     */
    Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] payload,
                             AwsCredentialsIdentity credentials, Instant now) {
        return sign(method, hostHeader(uri), uri.getRawPath(), uri.getRawQuery(), headers, payload, credentials, now);
    }

    /** The same, for a request whose URI is known in parts: a poster need not build and parse one per request. */
    Map<String, String> sign(String method, String host, String rawPath, String rawQuery, Map<String, String> headers,
                             byte[] payload, AwsCredentialsIdentity credentials, Instant now) {
        return sign(method, host, rawPath, rawQuery, headers, payloadHash(payload), credentials, now);
    }

    /** The payload's SHA-256 as SigV4 signs it (hex): a fan-out posting one frame to many hashes it once. */
    String payloadHash(byte[] payload) {
        return HEX.formatHex(sha256.hash(payload == null ? new byte[0] : payload));
    }

    /**
     * The same, with the payload's {@link #payloadHash} computed already.
     *
     * @return the headers to add, in a new mutable map the caller may add its own to
     */
    Map<String, String> sign(String method, String host, String rawPath, String rawQuery, Map<String, String> headers,
                             String payloadHash, AwsCredentialsIdentity credentials, Instant now) {
        String amzDate = amzDate(now);
        String day = amzDate.substring(0, 8);
        Map<String, String> added = new LinkedHashMap<>();
        added.put("x-amz-content-sha256", payloadHash);
        added.put("x-amz-date", amzDate);
        if (credentials instanceof AwsSessionCredentialsIdentity session) {
            added.put("x-amz-security-token", session.sessionToken());
        }
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        signed.put("host", host);
        added.forEach(signed::put);
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + "\n"
                + canonicalPath(rawPath) + "\n"
                + (rawQuery == null ? "" : rawQuery) + "\n"
                + canonicalHeaders + "\n"
                + signedHeaders + "\n"
                + payloadHash;
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256.hash(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(signingMac(credentials.secretAccessKey(), day)
                .doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        added.put("authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return added;
    }

    /**
     * {@code x-amz-date} for {@code now}, formatted once per second: every post in that second carries the same value,
     * and the formatter was an eighth of a signature's CPU.
     */
    private String amzDate(Instant now) {
        AmzDate last = lastDate;
        long second = now.getEpochSecond();
        if (last == null || last.epochSecond() != second) {
            last = new AmzDate(second, AMZ_DATE.format(now));
            lastDate = last;
        }
        return last.text();
    }

    private Mac signingMac(String secret, String day) {
        SigningKey key = signingKey(secret, day);
        try {
            return (Mac) key.mac().clone();
        } catch (CloneNotSupportedException e) {
            return initialized(key.key());
        }
    }

    /** Trimmed, inner runs of spaces folded to one (SigV4's canonical header value), without a regex per header. */
    static String canonicalValue(String value) {
        String trimmed = value.trim();
        return trimmed.contains("  ") ? trimmed.replaceAll(" +", " ") : trimmed;
    }

    private SigningKey signingKey(String secret, String day) {
        SigningKey key = cached;
        if (key == null || !key.day().equals(day) || !key.secret().equals(secret)) {
            byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day.getBytes(StandardCharsets.UTF_8));
            k = hmac(k, region.getBytes(StandardCharsets.UTF_8));
            k = hmac(k, service.getBytes(StandardCharsets.UTF_8));
            k = hmac(k, "aws4_request".getBytes(StandardCharsets.UTF_8));
            key = new SigningKey(secret, day, k, initialized(k));
            cached = key;
        }
        return key;
    }

    private static int defaultPort(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The SDK's rule for every service but S3: the already-encoded path, URI-encoded once more, slashes kept. */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        for (byte b : rawPath.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static Mac initialized(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return initialized(key).doFinal(data);
    }
}
