package io.tilemud.realtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Our SigV4 must sign exactly as the SDK's signer does: API Gateway checks the same canonical request. */
class SigV4Test {
    private static final Instant NOW = Instant.parse("2026-12-02T01:02:03Z");

    @ParameterizedTest
    @CsvSource({
            "POST, http://127.0.0.1:3001/local, us-east-1, Xk3v+a/b=, false",
            "POST, https://abc123.execute-api.eu-west-1.amazonaws.com/prod, eu-west-1, aG3cyeOnVrvKXGWT, true",
            "DELETE, https://abc123.execute-api.eu-west-1.amazonaws.com/prod, eu-west-1, pQ7a+Bba7==, true",
            "DELETE, http://localhost:3201/local, local, abc, false"})
    void sign_sameRequestAsTheSdk_sameAuthorizationHeader(String method, String endpoint, String region,
                                                          String connectionId, boolean session) {
        // GIVEN a management API call as the messenger builds it
        URI uri = URI.create(endpoint + "/@connections/" + URLEncoder.encode(connectionId, StandardCharsets.UTF_8));
        byte[] body = method.equals("POST") ? "{\"type\":\"event.ack\",\"seq\":1}".getBytes(StandardCharsets.UTF_8) : null;
        Map<String, String> headers = body == null ? Map.of() : Map.of("content-type", "application/json");
        AwsCredentialsIdentity credentials = session
                ? AwsSessionCredentials.create("ASIAEXAMPLE", "secret/key+1", "session-token-xyz")
                : AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

        // WHEN both sign it at the same instant
        Map<String, String> ours = new SigV4(region, "execute-api").sign(method, uri, headers, body, credentials, NOW);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        SignedRequest sdk = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request.build())
                .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));

        // THEN the signature and the headers it covers are the SDK's
        assertEquals(sdk.request().firstMatchingHeader("Authorization").orElseThrow(), ours.get("authorization"));
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow(), ours.get("x-amz-date"));
        assertEquals(sdk.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow(), ours.get("x-amz-content-sha256"));
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Security-Token").orElse(null), ours.get("x-amz-security-token"));
    }

    @ParameterizedTest
    @CsvSource({"2026-12-02T23:59:59Z, 2026-12-03T00:00:01Z"})
    void sign_nextDay_newSigningKey(String before, String after) {
        // GIVEN one signer whose cached day key is from the day before
        SigV4 signer = new SigV4("us-east-1", "execute-api");
        URI uri = URI.create("http://127.0.0.1:3001/local/@connections/abc");
        AwsCredentialsIdentity credentials = AwsBasicCredentials.create("AKID", "secret");
        String first = signer.sign("DELETE", uri, Map.of(), null, credentials, Instant.parse(before)).get("authorization");

        // WHEN it signs after midnight
        String second = signer.sign("DELETE", uri, Map.of(), null, credentials, Instant.parse(after)).get("authorization");

        // THEN the scope and signature are the new day's, equal to a fresh signer's
        assertNotEquals(first, second);
        assertEquals(new SigV4("us-east-1", "execute-api").sign("DELETE", uri, Map.of(), null, credentials,
                Instant.parse(after)).get("authorization"), second);
    }

    @Test
    void sign_instantsAcrossSecondsOnOneSigner_eachDateAndSignatureAsAFreshSigners() {
        // GIVEN one signer, signing in the same second twice, the next second, and a second earlier (a clock step back)
        SigV4 signer = new SigV4("us-east-1", "execute-api");
        URI uri = URI.create("http://127.0.0.1:3001/local/@connections/abc");
        AwsCredentialsIdentity credentials = AwsBasicCredentials.create("AKID", "secret");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        for (String at : List.of("2026-12-02T01:02:03.100Z", "2026-12-02T01:02:03.900Z", "2026-12-02T01:02:04.000Z",
                "2026-12-02T01:02:02.999Z")) {
            Instant now = Instant.parse(at);

            // WHEN it signs; THEN x-amz-date is that instant's second and the headers equal a fresh signer's
            Map<String, String> ours = signer.sign("POST", uri, Map.of("content-type", "application/json"), body,
                    credentials, now);
            assertEquals(at.substring(0, 19).replace("-", "").replace(":", "") + "Z", ours.get("x-amz-date"), at);
            assertEquals(new SigV4("us-east-1", "execute-api").sign("POST", uri, Map.of("content-type", "application/json"),
                    body, credentials, now), ours, at);
        }
    }

    @Test
    void sign_precomputedPayloadHash_sameHeadersAsFromThePayload() {
        SigV4 signer = new SigV4("eu-west-1", "execute-api");
        AwsCredentialsIdentity credentials = AwsSessionCredentials.create("AKID", "secret", "session-token");
        byte[] body = "{\"type\":\"event.delta\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("content-type", "application/json");

        Map<String, String> fromHash = signer.sign("POST", "api.example.com", "/prod/@connections/a%3D", null, headers,
                signer.payloadHash(body), credentials, NOW);

        assertEquals(signer.sign("POST", "api.example.com", "/prod/@connections/a%3D", null, headers, body, credentials,
                NOW), fromHash);
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", signer.payloadHash(null),
                "an absent payload is the empty string's hash");
    }
}
