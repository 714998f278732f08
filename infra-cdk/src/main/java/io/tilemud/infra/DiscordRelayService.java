package io.tilemud.infra;

import io.tilemud.contract.Environment;
import io.tilemud.contract.MetricNames;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Discord relay (DSC-01/02) as one Fargate task: Discord's rate limits are per bot token and the gateway allows
 * one session per shard, so exactly one process talks to Discord — desired count 1, and deployments stop the old
 * task before starting the new one (max 100 %, min 0 %); the PostgreSQL leader lock in the relay covers the rest.
 * Private subnets with egress (Discord is on the internet), the functions' security group (the data tier admits
 * it), the bot token from Secrets Manager, and an alarm on the gateway's operator-alert metric.
 */
public final class DiscordRelayService extends Construct {
    static final String CONTAINER = "relay";
    private final FargateService service;
    private final ISecret secret;
    private final Alarm gatewayAlarm;

    public DiscordRelayService(Construct scope, String id, StackSettings settings, DiscordDeployment discord,
                               Network network, Data data, String managementEndpoint,
                               software.amazon.awscdk.services.apigatewayv2.WebSocketStage stage, ITopic alarmTopic) {
        super(scope, id);
        secret = discord.secretArn()
                .map(arn -> Secret.fromSecretCompleteArn(this, "Secret", arn))
                .orElseGet(() -> Secret.Builder.create(this, "Secret")
                        .description("TileMUD Discord: {\"botToken\": …, \"clientSecret\": …} (fill in after deploy)")
                        .build());
        var cluster = Cluster.Builder.create(this, "Cluster").vpc(network.vpc()).build();
        var task = FargateTaskDefinition.Builder.create(this, "Task").cpu(512).memoryLimitMiB(1024).build();
        var logs = LogGroup.Builder.create(this, "Logs").retention(LogRetention.of(settings.logRetentionDays())).build();
        task.addContainer(CONTAINER, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromAsset(discord.imageDir().toAbsolutePath().normalize().toString(),
                        AssetImageProps.builder()
                                // Only what the Dockerfile copies: not the sources, not the rest of target/.
                                .exclude(List.of("**", "!Dockerfile", "!target/tilemud-discord-relay.jar"))
                                .build()))
                .environment(environment(settings, discord, data, managementEndpoint, secret.getSecretArn()))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("relay").build()))
                .stopTimeout(Duration.seconds(30))
                .build());
        // The relay reads its secrets itself at start (AwsSecretsConfigurer), like the functions.
        secret.grantRead(task.getTaskRole());
        data.database().secret().grantRead(task.getTaskRole());
        data.cache().authToken().grantRead(task.getTaskRole());
        stage.grantManagementApiAccess(task.getTaskRole());
        task.getTaskRole().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", MetricNames.NAMESPACE)))
                .build());
        service = FargateService.Builder.create(this, "Service")
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(1)
                .minHealthyPercent(0)
                .maxHealthyPercent(100)
                .assignPublicIp(false)
                .vpcSubnets(network.appSubnets())
                .securityGroups(List.of(network.functionsSecurityGroup()))
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .build();

        gatewayAlarm = Alarm.Builder.create(this, "GatewayAlarm")
                .alarmName(settings.stackName() + "-discord-gateway")
                .alarmDescription("The Discord relay's gateway stopped (fatal close code, or 5 failed reconnects): "
                        + "voice and Discord chat are down until an operator acts")
                .metric(MathExpression.Builder.create()
                        .label("Discord gateway alerts")
                        .expression("SELECT SUM(\"" + MetricNames.DISCORD_GATEWAY_ALERTS
                                + "\") FROM \"" + MetricNames.NAMESPACE + "\"")
                        .period(Duration.minutes(1))
                        .build())
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        gatewayAlarm.addAlarmAction(new SnsAction(alarmTopic));
        gatewayAlarm.addOkAction(new SnsAction(alarmTopic));
    }

    /** The functions' configuration keys, read by the same application.yml; the relay never migrates the schema. */
    private static Map<String, String> environment(StackSettings settings, DiscordDeployment discord, Data data,
                                                   String managementEndpoint, String secretArn) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Environment.BUILD, settings.build());
        env.put(Environment.JDBC_URL, data.database().jdbcUrl());
        env.put(Environment.DB_USERNAME, ContractAdditions.DATABASE_USER);
        env.put(ContractAdditions.DB_SECRET_ARN_ENV, data.database().secret().getSecretArn());
        env.put(Environment.REDIS_URL, "rediss://" + data.cache().host() + ":" + data.cache().port());
        env.put(ContractAdditions.REDIS_AUTH_SECRET_ARN_ENV, data.cache().authToken().getSecretArn());
        env.put(Environment.DYNAMODB_TABLE, data.connections().table().getTableName());
        env.put(Environment.WS_MANAGEMENT_ENDPOINT, managementEndpoint);
        env.put(Environment.MIGRATE, "false");
        putDiscord(env, discord, secretArn);
        return env;
    }

    /** What switches Discord on in a process: the secret (bot token) and the guild. */
    static void putDiscord(Map<String, String> env, DiscordDeployment discord, String secretArn) {
        env.put(Environment.DISCORD_SECRET_ARN, secretArn);
        env.put(Environment.DISCORD_GUILD_ID, discord.guildId());
        discord.clientId().ifPresent(v -> env.put(Environment.DISCORD_CLIENT_ID, v));
        discord.redirectUri().ifPresent(v -> env.put(Environment.DISCORD_REDIRECT_URI, v));
    }

    /**
     * Switches Discord on in the functions that write room changes (every database function: rooms over HTTP,
     * {@code room.chat} over the socket, the janitor's idle close): the secret's ARN, the guild, read access.
     */
    public void enable(Functions functions, DiscordDeployment discord) {
        for (GameLambda lambda : functions.all()) {
            if (lambda.spec().needs(FunctionSpec.Need.DATABASE)) {
                Map<String, String> env = new LinkedHashMap<>();
                putDiscord(env, discord, secret.getSecretArn());
                env.forEach(lambda.function()::addEnvironment);
                secret.grantRead(lambda.function());
            }
        }
    }

    public FargateService service() {
        return service;
    }

    public ISecret secret() {
        return secret;
    }

    public Alarm gatewayAlarm() {
        return gatewayAlarm;
    }
}
