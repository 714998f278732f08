package io.tilemud.infra;

import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

import java.util.List;

/**
 * Two-AZ VPC: public subnets hold the NAT gateway(s), private subnets with egress hold the functions, isolated
 * subnets hold ElastiCache and RDS (no route to the internet at all). The functions' security group is the only
 * source the data tier admits.
 */
public final class Network extends Construct {
    static final String APP_SUBNETS = "app";
    static final String DATA_SUBNETS = "data";

    private final Vpc vpc;
    private final SecurityGroup functionsSecurityGroup;

    public Network(Construct scope, String id, StackSettings settings) {
        super(scope, id);
        vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(settings.natGateways())
                // Nothing is ever placed in the default security group; restricting it would add a Node custom
                // resource to an otherwise all-Java stack for no gain.
                .restrictDefaultSecurityGroup(false)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name(APP_SUBNETS).subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(22).build(),
                        SubnetConfiguration.builder().name(DATA_SUBNETS).subnetType(SubnetType.PRIVATE_ISOLATED)
                                .cidrMask(24).build()))
                .build();
        functionsSecurityGroup = SecurityGroup.Builder.create(this, "FunctionsSecurityGroup")
                .vpc(vpc)
                .description("TileMUD Lambda functions")
                // Outbound HTTPS to Secrets Manager, CloudWatch, JWKS and @connections, plus Redis and PostgreSQL.
                .allowAllOutbound(true)
                .build();
    }

    public IVpc vpc() {
        return vpc;
    }

    public SecurityGroup functionsSecurityGroup() {
        return functionsSecurityGroup;
    }

    /** Security group of a data store: no egress, and ingress only from the functions on the store's port. */
    public SecurityGroup storeSecurityGroup(Construct scope, String description, int port) {
        var group = SecurityGroup.Builder.create(scope, "SecurityGroup")
                .vpc(vpc)
                .description(description)
                .allowAllOutbound(false)
                .build();
        group.addIngressRule(Peer.securityGroupId(functionsSecurityGroup.getSecurityGroupId()), Port.tcp(port),
                "From TileMUD functions");
        return group;
    }

    public SubnetSelection appSubnets() {
        return SubnetSelection.builder().subnetGroupName(APP_SUBNETS).build();
    }

    public SubnetSelection dataSubnets() {
        return SubnetSelection.builder().subnetGroupName(DATA_SUBNETS).build();
    }
}
