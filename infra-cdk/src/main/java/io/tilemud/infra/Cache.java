package io.tilemud.infra;

import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.util.List;

/**
 * ElastiCache (Valkey or Redis OSS) replication group holding the admission state (sessions, capacity, queues, rate
 * limits). Cluster mode disabled, so the Lua scripts' multi-key atomic steps never cross shards; Multi-AZ with
 * automatic failover; TLS in transit required and AUTH with a token that only Secrets Manager knows.
 */
public final class Cache extends Construct {
    static final int PORT = 6379;

    private final CfnReplicationGroup replicationGroup;
    private final Secret authToken;

    public Cache(Construct scope, String id, StackSettings.CacheSettings settings, Network network) {
        super(scope, id);
        authToken = Secret.Builder.create(this, "AuthToken")
                .description("TileMUD ElastiCache AUTH token")
                .generateSecretString(SecretStringGenerator.builder()
                        // AUTH tokens accept printable ASCII except / " @ and space: alphanumerics are always valid.
                        .excludePunctuation(true)
                        .passwordLength(64)
                        .build())
                .build();

        var securityGroup = network.storeSecurityGroup(this, "TileMUD ElastiCache: from the functions only", PORT);

        var subnetGroup = CfnSubnetGroup.Builder.create(this, "SubnetGroup")
                .description("TileMUD cache subnets (isolated)")
                .subnetIds(network.vpc().selectSubnets(network.dataSubnets()).getSubnetIds())
                .build();

        replicationGroup = CfnReplicationGroup.Builder.create(this, "ReplicationGroup")
                .replicationGroupDescription("TileMUD admission state")
                .engine(settings.engine())
                .engineVersion(settings.engineVersion())
                .cacheNodeType(settings.nodeType())
                .numCacheClusters(settings.nodes())
                .port(PORT)
                .multiAzEnabled(true)
                .automaticFailoverEnabled(true)
                .transitEncryptionEnabled(true)
                .transitEncryptionMode("required")
                .atRestEncryptionEnabled(true)
                .authToken(authToken.getSecretValue().unsafeUnwrap())
                .cacheSubnetGroupName(subnetGroup.getRef())
                .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                .autoMinorVersionUpgrade(true)
                // Admission state is ephemeral by design (section 1): a daily snapshot only shortens recovery.
                .snapshotRetentionLimit(1)
                .build();
    }

    /** Primary endpoint host; replicas take over it on failover. */
    public String host() {
        return replicationGroup.getAttrPrimaryEndPointAddress();
    }

    public String port() {
        return replicationGroup.getAttrPrimaryEndPointPort();
    }

    public Secret authToken() {
        return authToken;
    }
}
