package io.tilemud.infra;

import io.tilemud.contract.ConnectionsTable;
import io.tilemud.contract.Handlers;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every deployment choice of the stack, read once from CDK context ({@code cdk.json}, {@code -c key=value} or the
 * Maven synth's {@code key=value} arguments). Constructs receive this record instead of reading context themselves,
 * so a test can see every knob in one place.
 *
 * @param stackName                   CloudFormation stack name
 * @param functionsJar                shaded jar of module {@code functions} (HTTP + janitor handlers)
 * @param websocketJar                shaded jar of module {@code websocket-handlers}
 * @param build                       server build string clients must match (ADM-06), {@code TILEMUD_BUILD}
 * @param natGateways                 NAT gateways of the VPC; at least 1 because Lambdas reach JWKS, CloudWatch and
 *                                    the WebSocket management API through it
 * @param oidc                        external issuer; empty means the stack creates a Cognito user pool
 * @param cache                       ElastiCache replication group shape
 * @param database                    RDS PostgreSQL shape
 * @param dbReservedConcurrency       reserved concurrency of every function that holds PostgreSQL connections, so a
 *                                    burst cannot exhaust {@code max_connections} (the janitor reserves 1); 0 reserves
 *                                    nothing anywhere, for accounts whose concurrency quota allows no reservation
 * @param logRetentionDays            retention of every function's log group, in days
 * @param httpThrottle                HTTP API default-stage throttle
 * @param wsThrottle                  WebSocket stage throttle
 * @param wsStageName                 WebSocket stage, the last path segment of the WebSocket URL
 * @param corsOrigins                 origins allowed to call the HTTP API from a browser besides the web client's own
 *                                    CloudFront origin, which is always allowed; {@code *} allows every origin
 * @param webClientDir                static files of the browser client ({@code web-client/public}), deployed to S3
 * @param cognitoDomainPrefix         prefix of the Cognito hosted UI domain; empty means
 *                                    {@code <stackName lower-cased>-<account id>} (unique per account and region)
 * @param tableName                   DynamoDB connection registry table name
 * @param secretsInEnvironment        true: secret values are resolved into {@code TILEMUD_DB_PASSWORD} and
 *                                    {@code TILEMUD_REDIS_URL} at deploy time (visible in the Lambda console);
 *                                    false: functions get the secret ARNs and read Secrets Manager themselves
 * @param alarms                      alarm thresholds and the optional e-mail subscriber
 */
public record StackSettings(
        String stackName,
        Path functionsJar,
        Path websocketJar,
        String build,
        int natGateways,
        Optional<OidcIssuer> oidc,
        CacheSettings cache,
        DatabaseSettings database,
        int dbReservedConcurrency,
        int logRetentionDays,
        Throttle httpThrottle,
        Throttle wsThrottle,
        String wsStageName,
        List<String> corsOrigins,
        Path webClientDir,
        Optional<String> cognitoDomainPrefix,
        String tableName,
        boolean secretsInEnvironment,
        AlarmSettings alarms) {

    public StackSettings {
        requireText(stackName, "stackName");
        Objects.requireNonNull(functionsJar, "functionsJar");
        Objects.requireNonNull(websocketJar, "websocketJar");
        requireText(build, "build");
        if (natGateways < 1) {
            throw new IllegalArgumentException("natGateways must be >= 1: the functions run in private subnets and "
                    + "need egress to reach the JWKS URL, CloudWatch and the WebSocket management API");
        }
        Objects.requireNonNull(oidc, "oidc");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(database, "database");
        if (dbReservedConcurrency < 0) {
            throw new IllegalArgumentException("dbReservedConcurrency must be >= 0 (0 = unreserved)");
        }
        LogRetention.validate(logRetentionDays);
        Objects.requireNonNull(httpThrottle, "httpThrottle");
        Objects.requireNonNull(wsThrottle, "wsThrottle");
        requireText(wsStageName, "wsStageName");
        corsOrigins = List.copyOf(corsOrigins);
        Objects.requireNonNull(webClientDir, "webClientDir");
        Objects.requireNonNull(cognitoDomainPrefix, "cognitoDomainPrefix");
        cognitoDomainPrefix.ifPresent(StackSettings::requireDomainPrefix);
        requireText(tableName, "tableName");
        Objects.requireNonNull(alarms, "alarms");
    }

    /**
     * An external OpenID Connect issuer; {@code jwksUrl} defaults to the issuer's well-known path.
     *
     * <p>The browser client logs in against it with the authorization code flow + PKCE, so it also needs the two
     * endpoints (from the issuer's {@code /.well-known/openid-configuration}) and a public client registered there
     * with redirect URI {@code https://<distribution domain>/play/} (output {@code WebClientUrl}).
     *
     * @param clientId the issuer's public client for the browser; defaults to {@code audience}
     * @param scope    space-separated scopes the browser requests
     */
    public record OidcIssuer(String issuer, String audience, String jwksUrl, String authorizationEndpoint,
                             String tokenEndpoint, String clientId, String scope) {
        public OidcIssuer {
            requireText(issuer, "oidcIssuer");
            requireText(audience, "oidcAudience");
            requireText(jwksUrl, "oidcJwksUrl");
            if (!issuer.startsWith("https://")) {
                throw new IllegalArgumentException("oidcIssuer must be an https URL, got " + issuer);
            }
            requireEndpoint(authorizationEndpoint, "oidcAuthorizationEndpoint", issuer);
            requireEndpoint(tokenEndpoint, "oidcTokenEndpoint", issuer);
            requireText(clientId, "oidcClientId");
            requireText(scope, "oidcScope");
        }

        private static void requireEndpoint(String endpoint, String key, String issuer) {
            if (endpoint == null || !endpoint.startsWith("https://")) {
                throw new IllegalArgumentException(key + " must be the issuer's https endpoint (see " + issuer
                        + "/.well-known/openid-configuration): the web client logs in with the authorization code "
                        + "flow + PKCE, got " + endpoint);
            }
        }
    }

    /**
     * @param engine        {@code valkey} or {@code redis}
     * @param engineVersion e.g. {@code 8.0} for Valkey, {@code 7.1} for Redis OSS
     * @param nodeType      e.g. {@code cache.t4g.micro}
     * @param nodes         primary + replicas; at least 2 for Multi-AZ automatic failover
     */
    public record CacheSettings(String engine, String engineVersion, String nodeType, int nodes) {
        public CacheSettings {
            if (!List.of("valkey", "redis").contains(engine)) {
                throw new IllegalArgumentException("cacheEngine must be valkey or redis, got " + engine);
            }
            requireText(engineVersion, "cacheEngineVersion");
            requireText(nodeType, "cacheNodeType");
            if (nodes < 2 || nodes > 6) {
                throw new IllegalArgumentException("cacheNodes must be 2..6 (Multi-AZ needs a replica), got " + nodes);
            }
        }
    }

    /**
     * @param instanceType        e.g. {@code t4g.micro}
     * @param multiAz             standby in the second AZ
     * @param allocatedStorageGb  initial storage in GiB; storage autoscaling may grow it to 5x
     * @param deletionProtection  refuse {@code cdk destroy} of the database
     */
    public record DatabaseSettings(String instanceType, boolean multiAz, int allocatedStorageGb,
                                   boolean deletionProtection) {
        public DatabaseSettings {
            requireText(instanceType, "dbInstanceType");
            if (allocatedStorageGb < 20) {
                throw new IllegalArgumentException("dbAllocatedStorageGb must be >= 20, got " + allocatedStorageGb);
            }
        }
    }

    /** API Gateway throttle: steady requests (or messages) per second and burst bucket size. */
    public record Throttle(int ratePerSecond, int burst) {
        public Throttle {
            if (ratePerSecond < 1 || burst < 1) {
                throw new IllegalArgumentException("throttle rate and burst must be >= 1");
            }
        }
    }

    /**
     * @param email                       optional subscriber of the alarm topic
     * @param queueDepthThreshold         queue entries of one instance that raise the alarm (the cap is 1000)
     * @param admissionFailurePercent     failed + timed-out share of admission attempts that raises the alarm
     * @param admissionMinimumAttempts    attempts per minute below which the failure rate is not judged
     * @param availabilityPercent         SLO (OPS-03): share of intents served over 5 minutes below which it alarms
     * @param availabilityMinimumIntents  intents per 5 minutes below which the SLO is not judged
     * @param reconnectFailurePercent     failed share of reconnects over 5 minutes that raises the alarm
     * @param reconnectMinimumAttempts    reconnects per 5 minutes below which their failure ratio is not judged
     */
    public record AlarmSettings(Optional<String> email, int queueDepthThreshold, int admissionFailurePercent,
                                int admissionMinimumAttempts, double availabilityPercent,
                                int availabilityMinimumIntents, int reconnectFailurePercent,
                                int reconnectMinimumAttempts) {
        public AlarmSettings {
            Objects.requireNonNull(email, "email");
            if (queueDepthThreshold < 1 || admissionFailurePercent < 1 || admissionFailurePercent > 100
                    || admissionMinimumAttempts < 1 || !(availabilityPercent > 0 && availabilityPercent < 100)
                    || availabilityMinimumIntents < 1 || reconnectFailurePercent < 1 || reconnectFailurePercent > 100
                    || reconnectMinimumAttempts < 1) {
                throw new IllegalArgumentException("alarm thresholds out of range");
            }
        }

        /** The thresholds of issue 14's defaults with only the first four given (tests, older callers). */
        public AlarmSettings(Optional<String> email, int queueDepthThreshold, int admissionFailurePercent,
                             int admissionMinimumAttempts) {
            this(email, queueDepthThreshold, admissionFailurePercent, admissionMinimumAttempts, 99.5, 100, 20, 5);
        }
    }

    /**
     * Reads the settings from CDK context; every key is optional (see infra-cdk/README.md for the list).
     *
     * @param context {@code node::tryGetContext}; values may be strings (from {@code -c}) or JSON numbers/booleans
     *                (from {@code cdk.json})
     */
    public static StackSettings fromContext(Function<String, Object> context) {
        var reader = new ContextReader(context);
        Path repoRoot = Path.of(reader.text("repoRoot", ".."));
        Optional<OidcIssuer> oidc = oidc(reader);
        return new StackSettings(
                reader.text("stackName", "TileMud"),
                reader.path("functionsJar", repoRoot, Handlers.FUNCTIONS_JAR),
                reader.path("websocketJar", repoRoot, Handlers.WEBSOCKET_JAR),
                reader.text("build", "dev"),
                reader.integer("natGateways", 1),
                oidc,
                new CacheSettings(
                        reader.text("cacheEngine", "valkey"),
                        reader.text("cacheEngineVersion", "8.0"),
                        reader.text("cacheNodeType", "cache.t4g.micro"),
                        reader.integer("cacheNodes", 2)),
                new DatabaseSettings(
                        reader.text("dbInstanceType", "t4g.micro"),
                        reader.bool("dbMultiAz", false),
                        reader.integer("dbAllocatedStorageGb", 20),
                        reader.bool("dbDeletionProtection", false)),
                reader.integer("dbReservedConcurrency", 10),
                reader.integer("logRetentionDays", 30),
                new Throttle(reader.integer("httpThrottleRate", 100), reader.integer("httpThrottleBurst", 200)),
                new Throttle(reader.integer("wsThrottleRate", 500), reader.integer("wsThrottleBurst", 1000)),
                reader.text("wsStageName", "prod"),
                Arrays.stream(reader.text("corsOrigins", "").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList(),
                reader.path("webClientDir", repoRoot, WebClientFiles.DEFAULT_DIRECTORY),
                reader.optionalText("cognitoDomainPrefix"),
                reader.text("tableName", ConnectionsTable.DEFAULT_TABLE_NAME),
                reader.bool("secretsInEnvironment", false),
                new AlarmSettings(
                        reader.optionalText("alarmEmail"),
                        reader.integer("queueDepthAlarmThreshold", 800),
                        reader.integer("admissionFailureAlarmPercent", 20),
                        reader.integer("admissionFailureMinimumAttempts", 20),
                        Double.parseDouble(reader.text("availabilityAlarmPercent", "99.5")),
                        reader.integer("availabilityMinimumIntents", 100),
                        reader.integer("reconnectFailureAlarmPercent", 20),
                        reader.integer("reconnectMinimumAttempts", 5)));
    }

    private static Optional<OidcIssuer> oidc(ContextReader reader) {
        Optional<String> issuer = reader.optionalText("oidcIssuer");
        Optional<String> audience = reader.optionalText("oidcAudience");
        if (issuer.isEmpty() && audience.isEmpty()) {
            return Optional.empty();
        }
        if (issuer.isEmpty() || audience.isEmpty()) {
            throw new IllegalArgumentException("oidcIssuer and oidcAudience must be given together "
                    + "(or neither, to let the stack create a Cognito user pool)");
        }
        String trimmedIssuer = issuer.get().replaceAll("/+$", "");
        String jwks = reader.optionalText("oidcJwksUrl").orElse(trimmedIssuer + "/.well-known/jwks.json");
        return Optional.of(new OidcIssuer(trimmedIssuer, audience.get(), jwks,
                reader.optionalText("oidcAuthorizationEndpoint").orElse(null),
                reader.optionalText("oidcTokenEndpoint").orElse(null),
                reader.text("oidcClientId", audience.get()),
                reader.text("oidcScope", "openid")));
    }

    /** Cognito's rule for hosted UI prefixes, checked here so a bad value fails the synth, not the deployment. */
    private static void requireDomainPrefix(String prefix) {
        if (!prefix.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
                || prefix.contains("aws") || prefix.contains("amazon") || prefix.contains("cognito")) {
            throw new IllegalArgumentException("cognitoDomainPrefix must be 1-63 lower-case letters, digits and "
                    + "inner hyphens without aws, amazon or cognito, got " + prefix);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** Tolerates both context sources: {@code -c natGateways=2} gives a String, cdk.json gives a Number. */
    private record ContextReader(Function<String, Object> context) {

        Optional<String> optionalText(String key) {
            Object value = context.apply(key);
            if (value == null || value.toString().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(value.toString().trim());
        }

        String text(String key, String fallback) {
            return optionalText(key).orElse(fallback);
        }

        int integer(String key, int fallback) {
            Optional<String> value = optionalText(key);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                return new java.math.BigDecimal(value.get()).intValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("context " + key + " must be an integer, got " + value.get(), e);
            }
        }

        boolean bool(String key, boolean fallback) {
            return optionalText(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("context " + key + " must be true or false, got " + v);
            }).orElse(fallback);
        }

        /** An explicit path is taken as given (relative to the working directory); the default hangs off repoRoot. */
        Path path(String key, Path repoRoot, String defaultRelativeToRoot) {
            return optionalText(key).map(Path::of).orElse(repoRoot.resolve(defaultRelativeToRoot)).normalize();
        }
    }
}
