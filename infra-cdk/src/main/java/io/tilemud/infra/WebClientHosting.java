package io.tilemud.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.Function;
import software.amazon.awscdk.services.cloudfront.FunctionAssociation;
import software.amazon.awscdk.services.cloudfront.FunctionCode;
import software.amazon.awscdk.services.cloudfront.FunctionEventType;
import software.amazon.awscdk.services.cloudfront.FunctionRuntime;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.CacheControl;
import software.amazon.awscdk.services.s3.deployment.JsonProcessingOptions;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The browser client in AWS (WEB, issue 10): a private S3 bucket behind CloudFront, read through Origin Access
 * Control, with the same layout as the local stack: the client at {@code /play/}, {@code /} redirecting there.
 *
 * <p>Built in two steps, like {@link GameWebSocketApi}: the constructor creates bucket and distribution, whose domain
 * Cognito (callback URL) and the HTTP API (CORS origin) need; {@link #deploy} then uploads the files and writes
 * {@code config.json} from the APIs and the identity settings. Nothing here depends on the APIs, so there is no cycle.
 *
 * <p>Layout: objects live under the key prefix {@code play/}, so a URL path is the object key. A CloudFront Function
 * on viewer request answers {@code /} (and {@code /play}) with a redirect to {@code /play/} and maps a path ending in
 * {@code /} to its {@code index.html}, as the local stack does. No default root object is set: it only ever applies
 * to {@code /}, which the function already answers, and never to {@code /play/}.
 */
public final class WebClientHosting extends Construct {
    /** URL path and S3 key prefix of the client, the same as the local stack's. */
    static final String PATH = "/play/";
    static final String KEY_PREFIX = "play/";
    static final String CONFIG = "config.json";

    /**
     * Everything but the entry files. The names carry no content hash (the client has no build step), so browsers
     * keep them only briefly; the edge keeps them for a day, and every deployment invalidates {@code /play/*}.
     */
    static final String ASSET_CACHE_CONTROL = "public, max-age=300, s-maxage=86400";

    /** Viewer-request code (cloudfront-js-2.0). The query string (OAuth's code and state) passes through untouched. */
    static final String ROUTING_FUNCTION = """
            function handler(event) {
              var request = event.request;
              if (request.uri === '/' || request.uri === '/play') {
                return { statusCode: 301, statusDescription: 'Moved Permanently',
                         headers: { location: { value: '/play/' } } };
              }
              if (request.uri.endsWith('/')) {
                request.uri += 'index.html';
              }
              return request;
            }
            """;

    private final WebClientFiles files;
    private final int logRetentionDays;
    private final Bucket bucket;
    private final Distribution distribution;

    public WebClientHosting(Construct scope, String id, WebClientFiles files, int logRetentionDays) {
        super(scope, id);
        this.files = files;
        this.logRetentionDays = logRetentionDays;
        bucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED) // OAC needs ACLs off
                .encryption(BucketEncryption.S3_MANAGED) // SSE-S3: CloudFront reads it without a key policy
                .enforceSsl(true)
                // Only build output lives here, redeployed on every deploy: it goes with the stack, like the
                // functions' code (the user pool and the database snapshot are what the stack keeps).
                .removalPolicy(RemovalPolicy.DESTROY)
                .autoDeleteObjects(true)
                .build();
        var routing = Function.Builder.create(this, "Routing")
                .runtime(FunctionRuntime.JS_2_0)
                .comment("TileMUD web client: / -> /play/, directory paths -> index.html")
                .code(FunctionCode.fromInline(ROUTING_FUNCTION))
                .build();
        distribution = Distribution.Builder.create(this, "Distribution")
                .comment("TileMUD web client")
                .defaultBehavior(BehaviorOptions.builder()
                        // OAC (SigV4-signed requests, bucket policy conditioned on this distribution's ARN), not
                        // the legacy origin access identity.
                        .origin(S3BucketOrigin.withOriginAccessControl(bucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        // Honors the objects' Cache-Control (no-cache on the entry files); query strings are not
                        // part of the key, so /play/?code=... after the login is served from the cache.
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .responseHeadersPolicy(ResponseHeadersPolicy.SECURITY_HEADERS)
                        .compress(true)
                        .functionAssociations(List.of(FunctionAssociation.builder()
                                .eventType(FunctionEventType.VIEWER_REQUEST)
                                .function(routing)
                                .build()))
                        .build())
                .build();
    }

    /** {@code https://<distribution>.cloudfront.net}: the browser's origin, for CORS. */
    public String origin() {
        return "https://" + distribution.getDistributionDomainName();
    }

    /** {@code https://<distribution>.cloudfront.net/play/}: where players open the client; the OAuth redirect URI. */
    public String url() {
        return origin() + PATH;
    }

    public Bucket bucket() {
        return bucket;
    }

    public Distribution distribution() {
        return distribution;
    }

    /**
     * Uploads the client and writes {@code play/config.json}. Two deployments because S3 metadata is per deployment:
     * the entry files ({@code index.html}, {@code config.json}) are {@code no-cache} so a deployment reaches every
     * player at once, the rest is cached briefly. The assets go first, so a new {@code index.html} never references
     * a module that is not there yet.
     *
     * @param apiBase HTTP API base URL without trailing slash
     * @param wsUrl   WebSocket stage URL ({@code wss://.../prod})
     * @param build   server build string (ADM-06), shown in diagnostics and compared with the server's
     * @param login   how the browser logs in; {@link #url()} is added as its redirect URI
     */
    public void deploy(String apiBase, String wsUrl, String build, BrowserLogin login) {
        var logs = LogGroup.Builder.create(this, "DeploymentLogs")
                .retention(LogRetention.of(logRetentionDays))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        String directory = files.directory().toString();
        var assets = BucketDeployment.Builder.create(this, "Assets")
                .destinationBucket(bucket)
                .destinationKeyPrefix(KEY_PREFIX)
                .sources(List.of(Source.asset(directory)))
                // Excluded files are neither uploaded nor pruned here: they belong to the entry deployment.
                .exclude(List.of(WebClientFiles.INDEX, CONFIG))
                .prune(true)
                .cacheControl(List.of(CacheControl.fromString(ASSET_CACHE_CONTROL)))
                .logGroup(logs)
                .build();
        var entry = BucketDeployment.Builder.create(this, "Entry")
                .destinationBucket(bucket)
                .destinationKeyPrefix(KEY_PREFIX)
                .sources(List.of(
                        Source.asset(directory, AssetOptions.builder()
                                .exclude(List.of("*", "!" + WebClientFiles.INDEX)).build()),
                        // Deploy-time values (API ids, the Cognito domain and client) become markers in the asset
                        // and are substituted by the deployment; escape keeps the result valid JSON.
                        Source.jsonData(CONFIG, config(apiBase, wsUrl, build, login),
                                JsonProcessingOptions.builder().escape(true).build())))
                .prune(false)
                .cacheControl(List.of(CacheControl.noCache()))
                .distribution(distribution)
                .distributionPaths(List.of(PATH + "*"))
                .logGroup(logs)
                .build();
        entry.getNode().addDependency(assets);
    }

    /** The client's {@code config.json}; the local stack generates the same keys. */
    private Map<String, Object> config(String apiBase, String wsUrl, String build, BrowserLogin login) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("mode", "oidc");
        identity.put("issuer", login.issuer());
        identity.put("authorizationEndpoint", login.authorizationEndpoint());
        identity.put("tokenEndpoint", login.tokenEndpoint());
        identity.put("clientId", login.clientId());
        identity.put("scope", login.scope());
        identity.put("redirectUri", url());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiBase", apiBase);
        config.put("wsUrl", wsUrl);
        config.put("build", build);
        config.put("identity", identity);
        return config;
    }
}
