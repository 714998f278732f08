package io.tilemud.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("unchecked")
class WebClientTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();
    private final String bucket = single(stack.ofType("AWS::S3::Bucket").keySet());
    private final String distribution = single(stack.ofType("AWS::CloudFront::Distribution").keySet());

    @Test
    void bucket_webClient_isPrivateEncryptedAndGoesWithTheStack() {
        // GIVEN the web client's bucket
        var resource = stack.resource(bucket);
        var props = properties(resource);

        // THEN every public access is blocked, objects are encrypted, ACLs are off (OAC needs that)
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true), props.get("PublicAccessBlockConfiguration"));
        assertTrue(props.get("BucketEncryption").toString().contains("SSEAlgorithm=AES256"), props.toString());
        assertTrue(props.get("OwnershipControls").toString().contains("BucketOwnerEnforced"));
        assertFalse(props.containsKey("WebsiteConfiguration"), "a website endpoint would be public");
        // ...and, holding only build output, it is emptied and deleted with the stack
        assertEquals("Delete", resource.get("DeletionPolicy"));
        assertEquals(1, stack.ofType("Custom::S3AutoDeleteObjects").size());
    }

    @Test
    void bucketPolicy_getObject_onlyForThisDistributionOverTls() {
        // GIVEN the bucket's policy
        var statements = TemplateIndex.statements(properties(single(Set.copyOf(stack.ofType("AWS::S3::BucketPolicy")
                .values()))));

        // WHEN looking for statements that let anyone read objects
        var reads = statements.stream().filter(s -> "Allow".equals(s.get("Effect")))
                .filter(s -> TemplateIndex.actions(s).stream().anyMatch(a -> a.startsWith("s3:GetObject")))
                .toList();

        // THEN exactly one does: CloudFront's service principal, conditioned on this distribution's ARN
        assertEquals(1, reads.size(), reads.toString());
        var read = reads.getFirst();
        assertEquals(List.of("s3:GetObject"), TemplateIndex.actions(read));
        assertEquals(Map.of("Service", "cloudfront.amazonaws.com"), read.get("Principal"));
        var sourceArn = ((Map<String, Object>) ((Map<String, Object>) read.get("Condition")).get("StringEquals"))
                .get("AWS:SourceArn");
        assertEquals(Set.of(distribution), refs(sourceArn));
        assertTrue(sourceArn.toString().contains(":cloudfront::"), sourceArn.toString());
        // ...no statement allows an anonymous principal, and plain HTTP is denied
        assertTrue(statements.stream().noneMatch(s -> "Allow".equals(s.get("Effect"))
                && s.get("Principal").toString().contains("AWS=*")));
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && s.get("Condition").toString().contains("aws:SecureTransport=false")));
    }

    @Test
    void originAccessControl_distribution_signsEveryRequestToTheBucket() {
        // GIVEN the origin access control and the distribution's only origin
        String oac = single(stack.ofType("AWS::CloudFront::OriginAccessControl").keySet());
        var config = (Map<String, Object>) properties(stack.resource(oac)).get("OriginAccessControlConfig");
        var origin = single(Set.copyOf((List<Map<String, Object>>) distributionConfig().get("Origins")));

        // THEN it signs always with SigV4, the origin is the bucket's regional endpoint and uses it, and there is
        // no legacy origin access identity anywhere
        assertEquals("always", config.get("SigningBehavior"));
        assertEquals("sigv4", config.get("SigningProtocol"));
        assertEquals("s3", config.get("OriginAccessControlOriginType"));
        assertEquals(Set.of(oac), refs(origin.get("OriginAccessControlId")));
        assertEquals(List.of(bucket, "RegionalDomainName"),
                ((Map<String, Object>) origin.get("DomainName")).get("Fn::GetAtt"));
        assertEquals(Map.of("OriginAccessIdentity", ""), origin.get("S3OriginConfig"));
        stack.template().resourceCountIs("AWS::CloudFront::CloudFrontOriginAccessIdentity", 0);
    }

    @Test
    void distribution_defaultBehaviour_redirectsToHttpsAndRoutesThroughTheFunction() {
        // GIVEN the distribution's default behaviour
        var behaviour = (Map<String, Object>) distributionConfig().get("DefaultCacheBehavior");

        // THEN viewers are sent to HTTPS, and every request passes the routing function first
        assertEquals("redirect-to-https", behaviour.get("ViewerProtocolPolicy"));
        var association = single(Set.copyOf((List<Map<String, Object>>) behaviour.get("FunctionAssociations")));
        assertEquals("viewer-request", association.get("EventType"));
        assertEquals(stack.ofType("AWS::CloudFront::Function").keySet(), refs(association.get("FunctionARN")));
        // No default root object: the function answers "/" itself (see WebClientHosting)
        assertFalse(distributionConfig().containsKey("DefaultRootObject"));
    }

    @Test
    void routingFunction_paths_mirrorTheLocalStacksPlayLayout() throws Exception {
        // GIVEN the function code as deployed
        var function = properties(single(Set.copyOf(stack.ofType("AWS::CloudFront::Function").values())));
        assertEquals("cloudfront-js-2.0", ((Map<String, Object>) function.get("FunctionConfig")).get("Runtime"));
        String code = (String) function.get("FunctionCode");

        // WHEN running it on viewer requests (Node runs jsii anyway, so it is there)
        String results = runNode(code + """
                const uris = ['/', '/play', '/play/', '/play/core/main.js', '/play/config.json'];
                for (const uri of uris) {
                  const out = handler({ request: { uri, querystring: { code: { value: 'abc' } } } });
                  console.log(uri + ' ' + (out.statusCode ? out.statusCode + ' ' + out.headers.location.value
                                                          : out.uri + ' code=' + out.querystring.code.value));
                }
                """);

        // THEN "/" and "/play" redirect to "/play/", directories get their index.html, files pass unchanged, and
        // the query string (OAuth's code after the login) survives
        assertEquals(List.of(
                "/ 301 /play/",
                "/play 301 /play/",
                "/play/ /play/index.html code=abc",
                "/play/core/main.js /play/core/main.js code=abc",
                "/play/config.json /play/config.json code=abc"), results.lines().toList());
    }

    @Test
    void deployments_assetsAndEntryFiles_landUnderPlayWithTheirCaching() throws IOException {
        // GIVEN the two bucket deployments
        var assets = deployment(WebClientHosting.ASSET_CACHE_CONTROL);
        var entry = deployment("no-cache");
        var assetsProps = properties(assets.getValue());
        var entryProps = properties(entry.getValue());

        // THEN both write under play/ in the web client bucket
        for (var props : List.of(assetsProps, entryProps)) {
            assertEquals("play/", props.get("DestinationBucketKeyPrefix"));
            assertEquals(Set.of(bucket), refs(props.get("DestinationBucketName")));
        }
        // ...the assets are pruned but leave the entry files alone (a stray local config.json in the directory is
        // in the asset, but excluded from the sync)
        assertEquals(true, assetsProps.get("Prune"));
        assertEquals(List.of("index.html", "config.json"), assetsProps.get("Exclude"));
        assertEquals(Set.of("index.html", "config.json", "core/main.js"),
                files(stack.stagedAsset(single(Set.copyOf((List<String>) assetsProps.get("SourceObjectKeys"))))));
        // ...the entry files are index.html (and nothing else of the directory) plus the generated config.json
        var entryKeys = (List<String>) entryProps.get("SourceObjectKeys");
        assertEquals(List.of(Set.of("index.html"), Set.of("config.json")),
                entryKeys.stream().map(key -> files(stack.stagedAsset(key))).toList());
        assertEquals(false, entryProps.get("Prune"));
        // ...they go last, and invalidate the edge caches of the client
        assertTrue(((List<String>) entry.getValue().get("DependsOn")).contains(assets.getKey()));
        assertEquals(Set.of(distribution), refs(entryProps.get("DistributionId")));
        assertEquals(List.of("/play/*"), entryProps.get("DistributionPaths"));
    }

    @Test
    void configJson_defaults_namesBothApisTheBuildAndCognitosHostedUi() throws IOException {
        // GIVEN config.json as the entry deployment writes it
        Map<String, Object> config = configJson(stack);
        String pool = single(stack.ofType("AWS::Cognito::UserPool").keySet());
        String client = single(stack.ofType("AWS::Cognito::UserPoolClient").keySet());
        String domain = single(stack.ofType("AWS::Cognito::UserPoolDomain").keySet());

        // THEN every key the client reads is there, bound to the resource it names
        assertEquals(Set.of("apiBase", "wsUrl", "build", "identity", "mode", "issuer", "authorizationEndpoint",
                "tokenEndpoint", "clientId", "scope", "redirectUri"), config.keySet());
        assertEquals(Map.of("Fn::GetAtt", List.of(stack.apiLogicalId("HTTP"), "ApiEndpoint")),
                unquoted(config.get("apiBase")));
        assertEquals(Set.of(stack.apiLogicalId("WEBSOCKET")), refs(config.get("wsUrl")));
        assertTrue(config.get("wsUrl").toString().contains("wss://") && config.get("wsUrl").toString().contains("/prod"));
        assertEquals("dev", config.get("build"));
        assertEquals("oidc", config.get("mode"));
        assertEquals(Set.of(pool), refs(config.get("issuer")));
        assertTrue(config.get("issuer").toString().contains("https://cognito-idp."));
        assertEquals(Set.of(domain), refs(config.get("authorizationEndpoint")));
        assertTrue(config.get("authorizationEndpoint").toString().contains(".amazoncognito.com/oauth2/authorize"));
        assertEquals(Set.of(domain), refs(config.get("tokenEndpoint")));
        assertTrue(config.get("tokenEndpoint").toString().contains(".amazoncognito.com/oauth2/token"));
        assertEquals(Map.of("Ref", client), unquoted(config.get("clientId")));
        assertEquals(Identity.COGNITO_BROWSER_SCOPE, config.get("scope"));
        assertEquals(Set.of(distribution), refs(config.get("redirectUri")));
        assertTrue(config.get("redirectUri").toString().contains("/play/"));
    }

    @Test
    void appClient_browser_usesTheCodeFlowWithoutSecretAndReturnsToTheDistribution() {
        // GIVEN the Cognito app client
        var props = properties(single(Set.copyOf(stack.ofType("AWS::Cognito::UserPoolClient").values())));

        // THEN it is public, allows the authorization code grant only (PKCE is the public client's part), and its
        // only callback and logout URL is https://<distribution>/play/
        assertEquals(false, props.get("GenerateSecret"));
        assertEquals(true, props.get("AllowedOAuthFlowsUserPoolClient"));
        assertEquals(List.of("code"), props.get("AllowedOAuthFlows"));
        assertEquals(List.of("openid", "email", "profile"), props.get("AllowedOAuthScopes"));
        assertEquals(List.of("COGNITO"), props.get("SupportedIdentityProviders"));
        for (String key : List.of("CallbackURLs", "LogoutURLs")) {
            var url = single(Set.copyOf((List<Object>) props.get(key)));
            assertEquals(Set.of(distribution), refs(url), key);
            assertTrue(url.toString().contains("https://") && url.toString().contains("/play/"), key);
        }
        // ...and the hosted UI has a domain, unique per account by default
        var domain = properties(single(Set.copyOf(stack.ofType("AWS::Cognito::UserPoolDomain").values())));
        assertTrue(domain.get("Domain").toString().contains("tilemud-"), domain.toString());
        assertTrue(domain.get("Domain").toString().contains("AWS::AccountId"), domain.toString());
    }

    @Test
    void cors_defaults_allowOnlyTheWebClientOrigin() {
        // GIVEN the HTTP API's CORS configuration with no corsOrigins configured
        var cors = (Map<String, Object>) properties(stack.resource(stack.apiLogicalId("HTTP"))).get("CorsConfiguration");

        // THEN the single allowed origin is https://<distribution>, not *
        var origin = single(Set.copyOf((List<Object>) cors.get("AllowOrigins")));
        assertEquals(Set.of(distribution), refs(origin));
        assertTrue(origin.toString().contains("https://"));
    }

    @Test
    void allowedOrigins_configured_addToTheWebClientOriginOrReplaceAllWithStar() {
        // GIVEN configured origins
        // WHEN combining them with the web client's
        // THEN they are added after it, and * (which subsumes everything) stands alone
        assertEquals(List.of("https://web", "https://admin.example.com"),
                GameHttpApi.allowedOrigins(List.of("https://admin.example.com"), "https://web"));
        assertEquals(List.of("*"), GameHttpApi.allowedOrigins(List.of("https://a.example.com", "*"), "https://web"));
    }

    @Test
    void outputs_webClientUrl_isThePlayPathOfTheDistribution() {
        // GIVEN the outputs
        var output = (Map<String, Object>) stack.outputs().get("WebClientUrl");

        // THEN the URL players open is https://<distribution>/play/
        assertEquals(Set.of(distribution), refs(output.get("Value")));
        assertTrue(output.get("Value").toString().contains("/play/"));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static final Pattern CONFIG_ENTRY =
            Pattern.compile("\"(\\w+)\":(<<marker:0xbaba:\\d+>>|\"((?:[^\"\\\\]|\\\\.)*)\"|\\{)");

    /**
     * config.json's entries, nested ones flattened (the keys are unique): literal values as strings, deploy-time
     * values as the CloudFormation expression the deployment substitutes for their marker, {@code identity} as "{".
     */
    static Map<String, Object> configJson(TemplateIndex stack) throws IOException {
        var entry = properties(stack.ofType("Custom::CDKBucketDeployment").values().stream()
                .filter(d -> properties(d).get("SourceMarkers") != null).findFirst().orElseThrow());
        var keys = (List<String>) entry.get("SourceObjectKeys");
        var markers = (List<Map<String, Object>>) entry.get("SourceMarkers");
        int index = keys.indexOf(keys.stream().filter(key -> Files.exists(stack.stagedAsset(key)
                .resolve(WebClientHosting.CONFIG))).findFirst().orElseThrow());
        String json = Files.readString(stack.stagedAsset(keys.get(index)).resolve(WebClientHosting.CONFIG));
        Map<String, Object> values = new LinkedHashMap<>();
        Matcher matcher = CONFIG_ENTRY.matcher(json);
        while (matcher.find()) {
            String value = matcher.group(2);
            values.put(matcher.group(1), value.startsWith("<<marker") ? markers.get(index).get(value)
                    : value.equals("{") ? "{" : matcher.group(3));
        }
        return values;
    }

    /** A marker's value as substituted with jsonEscape: {@code "\"" + expression + "\""}; returns the expression. */
    private static Object unquoted(Object marker) {
        var parts = (List<Object>) ((List<Object>) ((Map<String, Object>) marker).get("Fn::Join")).get(1);
        assertEquals(3, parts.size(), marker.toString());
        assertEquals("\"", parts.getFirst());
        assertEquals("\"", parts.getLast());
        return parts.get(1);
    }

    private Map<String, Object> distributionConfig() {
        return (Map<String, Object>) properties(stack.resource(distribution)).get("DistributionConfig");
    }

    private Map.Entry<String, Map<String, Object>> deployment(String cacheControl) {
        return single(stack.ofType("Custom::CDKBucketDeployment").entrySet().stream()
                .filter(e -> Map.of("cache-control", cacheControl).equals(properties(e.getValue()).get("SystemMetadata")))
                .collect(Collectors.toSet()));
    }

    private static Set<String> files(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile)
                    .map(p -> directory.relativize(p).toString().replace('\\', '/')).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new AssertionError("staged asset not readable: " + directory, e);
        }
    }

    private static String runNode(String script) throws Exception {
        Process node = new ProcessBuilder("node", "-e", script).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, node.exitValue(), output);
        return output;
    }
}
