package io.tilemud.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("unchecked")
class NetworkTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();

    @Test
    void vpc_defaults_spansTwoAzsWithPublicAppAndIsolatedSubnets() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        var subnets = stack.ofType("AWS::EC2::Subnet").values();

        // THEN one VPC holds two subnets of each kind, one per AZ
        assertEquals(1, stack.ofType("AWS::EC2::VPC").size());
        Map<String, Long> byType = subnets.stream().collect(Collectors.groupingBy(
                subnet -> tag(subnet, "aws-cdk:subnet-type"), Collectors.counting()));
        assertEquals(Map.of("Public", 2L, "Private", 2L, "Isolated", 2L), byType);
        long azs = subnets.stream().map(subnet -> properties(subnet).get("AvailabilityZone").toString())
                .distinct().count();
        assertEquals(2, azs);
    }

    @Test
    void natGateways_default_isOne() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        // THEN a single NAT gateway serves both private subnets
        stack.template().resourceCountIs("AWS::EC2::NatGateway", 1);
    }

    @Test
    void functions_everyFunction_runsInPrivateSubnetsWithEgress() {
        // GIVEN the app subnets (private with egress)
        var appSubnets = stack.ofType("AWS::EC2::Subnet").entrySet().stream()
                .filter(e -> "Private".equals(tag(e.getValue(), "aws-cdk:subnet-type")))
                .map(Map.Entry::getKey).collect(Collectors.toSet());

        // WHEN reading every function's VPC placement
        // THEN each sits in exactly those subnets, behind the functions' security group
        stack.functions().forEach((id, logicalId) -> {
            var vpcConfig = (Map<String, Object>) stack.functionProperties(id).get("VpcConfig");
            assertEquals(appSubnets, refs(vpcConfig.get("SubnetIds")), id + " subnets");
            assertEquals(1, ((List<?>) vpcConfig.get("SecurityGroupIds")).size(), id + " security groups");
        });
        assertTrue(appSubnets.size() == 2);
    }

    private static String tag(Map<String, Object> resource, String key) {
        var tags = (List<Map<String, Object>>) properties(resource).get("Tags");
        return tags.stream().filter(t -> key.equals(t.get("Key"))).map(t -> (String) t.get("Value")).findFirst()
                .orElse("");
    }
}
