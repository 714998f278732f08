package io.tilemud.infra;

import io.tilemud.contract.Environment;
import io.tilemud.contract.MetricNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DSC-02/04 in the stack: without {@code discordEnabled} nothing Discord exists; with it one Fargate relay (desired
 * count 1, no overlap on deploy, private subnets, the functions' security group), its secret passed by ARN only, the
 * database functions switched on, and an alarm on the gateway's operator alerts.
 */
class DiscordRelayTest {
    private static final String GUILD = "900000000000000001";
    private static final TemplateIndex ENABLED = SynthesizedStack.withContext(Map.of(
            "discordEnabled", "true", "discordGuildId", GUILD, "discordClientId", "123456",
            "discordRelayImageDir", "src/test/resources/discord-relay"));

    @SuppressWarnings("unchecked")
    private static Map<String, String> environmentOf(Map<String, Object> functionProperties) {
        var environment = (Map<String, Object>) functionProperties.getOrDefault("Environment", Map.of());
        var variables = (Map<String, Object>) environment.getOrDefault("Variables", Map.of());
        return variables.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    @Test
    void defaults_discordNotEnabled_noServiceNoSecretNoSwitchInFunctions() {
        TemplateIndex stack = SynthesizedStack.defaults();

        assertTrue(stack.ofType("AWS::ECS::Service").isEmpty());
        assertTrue(stack.ofType("AWS::ECS::TaskDefinition").isEmpty());
        assertFalse(stack.outputs().containsKey("DiscordSecretArn"));
        stack.functions().keySet().forEach(id ->
                assertFalse(environmentOf(stack.functionProperties(id)).containsKey(Environment.DISCORD_SECRET_ARN), id.key()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void relayService_enabled_oneFargateTaskInPrivateSubnetsWithoutOverlap() {
        // GIVEN the enabled stack's only ECS service
        Map<String, Object> service = properties(single(Set.copyOf(ENABLED.ofType("AWS::ECS::Service").values())));
        // THEN
        assertEquals(1, ((Number) service.get("DesiredCount")).intValue());
        assertEquals("FARGATE", service.get("LaunchType"));
        var deployment = (Map<String, Object>) service.get("DeploymentConfiguration");
        assertEquals(100, ((Number) deployment.get("MaximumPercent")).intValue(), "never two relays during a deploy");
        assertEquals(0, ((Number) deployment.get("MinimumHealthyPercent")).intValue());
        var network = (Map<String, Object>) ((Map<String, Object>) service.get("NetworkConfiguration")).get("AwsvpcConfiguration");
        assertEquals("DISABLED", network.get("AssignPublicIp"));
        Set<String> privateSubnets = ENABLED.ofType("AWS::EC2::Subnet").entrySet().stream()
                .filter(e -> e.getKey().contains("app")).map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(2, privateSubnets.size());
        assertEquals(privateSubnets, refs(network.get("Subnets")));
        String functionsGroup = ENABLED.ofType("AWS::EC2::SecurityGroup").entrySet().stream()
                .filter(e -> String.valueOf(properties(e.getValue()).get("GroupDescription")).equals("TileMUD Lambda functions"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertEquals(Set.of(functionsGroup), refs(network.get("SecurityGroups")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void relayTask_enabled_secretByArnOnlyAndNoMigration() {
        Map<String, Object> task = properties(single(Set.copyOf(ENABLED.ofType("AWS::ECS::TaskDefinition").values())));
        var container = ((List<Map<String, Object>>) task.get("ContainerDefinitions")).getFirst();
        Map<String, Object> env = ((List<Map<String, Object>>) container.get("Environment")).stream()
                .collect(Collectors.toMap(e -> (String) e.get("Name"), e -> e.get("Value")));
        String secret = single(ENABLED.ofType("AWS::SecretsManager::Secret").entrySet().stream()
                .filter(e -> String.valueOf(properties(e.getValue()).get("Description")).contains("Discord"))
                .map(Map.Entry::getKey).collect(Collectors.toSet()));

        assertEquals(Set.of(secret), refs(env.get(Environment.DISCORD_SECRET_ARN)));
        assertEquals(GUILD, env.get(Environment.DISCORD_GUILD_ID));
        assertEquals("false", env.get(Environment.MIGRATE));
        assertFalse(env.containsKey(Environment.DISCORD_BOT_TOKEN), "the token never sits in the task definition");
        assertTrue(env.containsKey(Environment.WS_MANAGEMENT_ENDPOINT));
        assertEquals(Set.of(secret), refs(ENABLED.outputs().get("DiscordSecretArn")));
    }

    @Test
    void functions_enabled_databaseFunctionsGetTheSwitch() {
        for (FunctionId id : List.of(FunctionId.CHARACTERS, FunctionId.WS_INTENTS, FunctionId.JANITOR)) {
            Map<String, String> env = environmentOf(ENABLED.functionProperties(id));
            assertTrue(env.containsKey(Environment.DISCORD_SECRET_ARN), id.key());
            assertEquals(GUILD, env.get(Environment.DISCORD_GUILD_ID), id.key());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void gatewayAlarm_enabled_firesOnAnyOperatorAlertAndNotifiesTheTopic() {
        Map<String, Object> alarm = ENABLED.ofType("AWS::CloudWatch::Alarm").values().stream().map(TemplateIndex::properties)
                .filter(a -> String.valueOf(a.get("AlarmName")).endsWith("-discord-gateway")).findFirst().orElseThrow();
        String topic = single(ENABLED.ofType("AWS::SNS::Topic").keySet());

        assertTrue(alarm.get("Metrics").toString().contains(MetricNames.DISCORD_GATEWAY_ALERTS));
        assertEquals(1, ((Number) alarm.get("Threshold")).intValue());
        assertEquals("GreaterThanOrEqualToThreshold", alarm.get("ComparisonOperator"));
        assertEquals(Set.of(topic), refs(alarm.get("AlarmActions")));
    }

    @Test
    void settings_enabledWithoutGuild_failsTheSynth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiscordDeployment.fromContext(
                Map.<String, Object>of("discordEnabled", true)::get));
        assertTrue(e.getMessage().contains("discordGuildId"));
    }
}
