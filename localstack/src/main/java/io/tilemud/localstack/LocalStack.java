package io.tilemud.localstack;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.tilemud.functions.web.HttpApiFunction;
import io.tilemud.config.TileMudSettings;
import io.tilemud.embedded.ApplicationProperties;
import io.tilemud.embedded.DevIdentityProvider;
import io.tilemud.embedded.EmbeddedServers;
import io.tilemud.instance.InstanceRepository;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.tilemud.contract.WebSocketRoutes;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.functions.janitor.JanitorHandler;
import org.slf4j.LoggerFactory;
import io.tilemud.localstack.http.HttpApiEmulator;
import io.tilemud.localstack.websocket.WebSocketApiEmulator;
import io.tilemud.localstack.websocket.WebSocketApiRoutes;
import io.tilemud.websocket.connect.AuthorizerHandler;
import io.tilemud.websocket.connect.ConnectHandler;
import io.tilemud.websocket.connect.DisconnectHandler;
import io.tilemud.websocket.realtime.IntentHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whole backend on one machine (OPS-04): embedded Redis, PostgreSQL and DynamoDB Local, the HTTP API emulator
 * in front of the very handler class Lambda runs, and the dev identity provider. No Docker, no AWS account.
 */
public final class LocalStack implements AutoCloseable {
    public static final String SEED_INSTANCE = "world-1";
    public static final int SEED_CAPACITY = 100;
    /** Routes deployed without the JWT authorizer (see infra-cdk). */
    static final Set<String> PUBLIC_ROUTES = Set.of("GET /health", "GET /version");

    private final EmbeddedServers servers;
    private final ApplicationContext context;
    private final HttpApiEmulator httpApi;
    private final WebSocketApiEmulator webSocketApi;
    private final DevIdentityProvider identity;
    private final ScheduledExecutorService janitor;
    private final Duration startup;
    private final java.util.Optional<LocalDiscord> discord;

    private LocalStack(EmbeddedServers servers, ApplicationContext context, HttpApiEmulator httpApi,
                       WebSocketApiEmulator webSocketApi, DevIdentityProvider identity, ScheduledExecutorService janitor,
                       Duration startup, java.util.Optional<LocalDiscord> discord) {
        this.discord = discord;
        this.servers = servers;
        this.context = context;
        this.httpApi = httpApi;
        this.webSocketApi = webSocketApi;
        this.janitor = janitor;
        this.identity = identity;
        this.startup = startup;
    }

    public static void main(String[] args) {
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(args);
        } catch (LocalStackOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.println(LocalStackOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        LocalStack stack = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping TileMUD local stack…");
            stack.close();
        }, "tilemud-local-stop"));
        stack.printBanner(System.out, options);
    }

    public static LocalStack start(LocalStackOptions options) {
        long started = System.nanoTime();
        EmbeddedServers servers = EmbeddedServers.start(new EmbeddedServers.Options(workDir(),
                Path.of(System.getProperty("java.io.tmpdir"), "tilemud-cache"), options.dataDir(), true,
                options.redisUrl(), options.jdbcUrl(), options.dynamoDbEndpoint()));
        long serversUp = System.nanoTime();
        System.out.printf("servers started in %d ms%n", (serversUp - started) / 1_000_000);
        java.util.Optional<LocalDiscord.Fakes> fake = java.util.Optional.empty();
        try {
            String base = "http://127.0.0.1:" + options.httpPort();
            DevIdentityProvider identity = new DevIdentityProvider(base + "/dev", "tilemud");
            Map<String, Object> properties = properties(servers, base, identity, options.wsPort());
            if (options.fakeDiscordPort().isPresent()) {
                fake = java.util.Optional.of(LocalDiscord.startFake(options.fakeDiscordPort().get()));
                properties.putAll(LocalDiscord.properties(fake.get(), base));
            }
            ApplicationContext context = ApplicationContext.builder()
                    .environments("local")
                    .properties(properties)
                    .start();
            System.out.printf("application context started in %d ms%n", (System.nanoTime() - serversUp) / 1_000_000);
            seedInstance(context);
            HttpApiEmulator httpApi = HttpApiEmulator.start(options.httpPort(), new HttpApiFunction(context),
                    identity, PUBLIC_ROUTES, webClientConfig(base, options.wsPort(),
                            context.getBean(TileMudSettings.class).build()),
                    context.findBean(PrometheusMeterRegistry.class).map(registry -> registry::scrape),
                    options.lambdaConcurrency());
            WebSocketApiEmulator webSocketApi = WebSocketApiEmulator.start(options.wsPort(), webSocketRoutes(context));
            java.util.Optional<LocalDiscord> discord = fake.map(f -> LocalDiscord.wire(f, context));
            return new LocalStack(servers, context, httpApi, webSocketApi, identity,
                    scheduleJanitor(context, options.janitorSeconds()), Duration.ofNanos(System.nanoTime() - started),
                    discord);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fake.ifPresent(LocalDiscord.Fakes::close);
            servers.close();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            fake.ifPresent(LocalDiscord.Fakes::close);
            servers.close();
            throw e;
        }
    }

    private static Path workDir() {
        try {
            return Files.createTempDirectory("tilemud-local-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** EventBridge's schedule, faster than the cloud's minute so local expiries and promotions show up quickly. */
    private static ScheduledExecutorService scheduleJanitor(ApplicationContext context, int everySeconds) {
        JanitorHandler handler = new JanitorHandler(context);
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tilemud-janitor").daemon().factory());
        schedule.scheduleWithFixedDelay(() -> {
            try {
                handler.handleRequest(scheduledEvent(), new LocalLambdaContext("tilemud-janitor", 60));
            } catch (RuntimeException e) {
                // A failed run is retried on the next tick, as EventBridge would.
                LoggerFactory.getLogger(LocalStack.class).error("janitor run failed", e);
            }
        }, everySeconds, everySeconds, TimeUnit.SECONDS);
        return schedule;
    }

    /** The event an EventBridge schedule rule delivers. */
    private static ScheduledEvent scheduledEvent() {
        ScheduledEvent event = new ScheduledEvent();
        event.setId(java.util.UUID.randomUUID().toString());
        event.setSource("aws.events");
        event.setDetailType("Scheduled Event");
        event.setAccount("000000000000");
        event.setRegion("local");
        event.setTime(new org.joda.time.DateTime());
        event.setResources(java.util.List.of("arn:aws:events:local:000000000000:rule/tilemud-janitor"));
        event.setDetail(Map.of());
        return event;
    }

    /** The same handler classes the WebSocket API's Lambda functions run, one instance per route as in AWS. */
    private static WebSocketApiRoutes webSocketRoutes(ApplicationContext context) {
        Map<String, com.amazonaws.services.lambda.runtime.RequestHandler<
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent,
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse>> routes = new HashMap<>();
        routes.put(WebSocketRoutes.CONNECT, new ConnectHandler(context));
        routes.put(WebSocketRoutes.DISCONNECT, new DisconnectHandler(context));
        IntentHandler intents = new IntentHandler(context);
        WebSocketRoutes.INTENT_ROUTES.forEach(route -> routes.put(route, intents));
        return new WebSocketApiRoutes(java.util.Optional.of(new AuthorizerHandler(context)), routes);
    }

    private static Map<String, Object> properties(EmbeddedServers servers, String base, DevIdentityProvider identity,
                                                  int wsPort) {
        Map<String, Object> p = new HashMap<>(ApplicationProperties.of(servers, identity, base + "/dev/jwks.json"));
        // One process serves every "function" locally, so it needs a bigger pool than one Lambda container.
        p.put("datasources.default.maximum-pool-size", 40);
        p.put("tilemud.realtime.management-endpoint", "http://127.0.0.1:" + wsPort + "/" + WebSocketApiEmulator.STAGE);
        // Metrics (issue 14): the meters Lambda writes as EMF lines are served at GET /dev/metrics instead (the EMF
        // lines would only clutter the console here).
        p.put("tilemud.metrics.emf.enabled", false);
        p.put("micronaut.metrics.export.prometheus.enabled", true);
        return p;
    }

    /**
     * The web client's {@code /play/config.json}: what CDK writes beside the files in AWS, here with the dev identity
     * provider instead of OIDC.
     */
    static String webClientConfig(String base, int wsPort, String build) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var config = json.createObjectNode()
                .put("apiBase", base)
                .put("wsUrl", "ws://127.0.0.1:" + wsPort + "/" + WebSocketApiEmulator.STAGE)
                .put("build", build);
        config.putObject("identity").put("mode", "dev").put("tokenUrl", base + "/dev/token");
        return config.toString();
    }

    /** world-1 exists on first start; later starts with a data dir keep whatever operators changed. */
    private static void seedInstance(ApplicationContext context) {
        if (context.getBean(InstanceRepository.class).findById(SEED_INSTANCE).isEmpty()) {
            context.getBean(InstanceService.class).upsert(SEED_INSTANCE, SEED_CAPACITY,
                    context.getBean(TileMudSettings.class).build(), InstanceState.ACCEPTING);
        }
    }

    public int httpPort() {
        return httpApi.port();
    }

    public int wsPort() {
        return webSocketApi.port();
    }

    public DevIdentityProvider identity() {
        return identity;
    }

    public ApplicationContext context() {
        return context;
    }

    public Duration startupTime() {
        return startup;
    }

    /** The fake Discord and the relay when started with {@code --fake-discord}. */
    public java.util.Optional<LocalDiscord> discord() {
        return discord;
    }

    void printBanner(PrintStream out, LocalStackOptions options) {
        String base = "http://127.0.0.1:" + httpPort();
        String ws = "ws://127.0.0.1:" + wsPort() + "/" + WebSocketApiEmulator.STAGE;
        String management = "http://127.0.0.1:" + wsPort() + "/" + WebSocketApiEmulator.STAGE;
        // Named values instead of positional %d/%s: a banner line added without its argument broke start-up once.
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("millis", Long.toString(startup.toMillis()));
        values.put("build", context.getBean(TileMudSettings.class).build());
        values.put("servers", servers.describe());
        values.put("base", base);
        values.put("ws", ws);
        values.put("management", management);
        values.put("instance", SEED_INSTANCE);
        values.put("capacity", Integer.toString(SEED_CAPACITY));
        values.put("janitor", Integer.toString(options.janitorSeconds()));
        values.put("token", identity.mint("alice", false));
        values.put("discord", discord.map(d -> "discord    fake " + d.fake().baseUrl() + "/api/v10 (guild " + d.fake().guildId()
                + "), gateway " + d.gateway().url() + ", relay in-process; POST " + d.fake().baseUrl() + "/dev/discord/voice {discordUserId, channelId|null}\n")
                .orElse(""));
        out.print(render("""

                TileMUD local stack ready in {millis} ms (build {build})
                {servers}
                play       {base}/play/   (the web client)
                http api   {base}   (API Gateway HTTP API emulation → Lambda handler HttpApiFunction)
                websocket  {ws}?sessionId=…   (token as Sec-WebSocket-Protocol or &token=…)
                @connections {management}/@connections/{id}   (API Gateway management API)
                dev idp    POST {base}/dev/token {"sub":"alice","admin":false}   JWKS {base}/dev/jwks.json
                instance   {instance} (capacity {capacity}); janitor every {janitor} s
                {discord}
                dev token for alice (1 h):
                  export TOKEN={token}
                  curl -s {base}/health

                Ctrl-C stops everything.
                """, values));
        out.flush();
    }

    /** Replaces each {@code {name}} that has a value; anything else (like {@code {id}}) is left as written. */
    static String render(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{" + value.getKey() + "}", value.getValue());
        }
        return text;
    }

    @Override
    public void close() {
        discord.ifPresent(LocalDiscord::close);
        janitor.shutdownNow();
        webSocketApi.close();
        httpApi.close();
        context.close();
        servers.close();
    }
}
