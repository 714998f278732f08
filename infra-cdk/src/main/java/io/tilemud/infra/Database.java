package io.tilemud.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

import java.util.List;
import java.util.Objects;

/**
 * RDS PostgreSQL 16 holding the durable state. Credentials are generated into Secrets Manager; only the functions'
 * security group may connect. Destroying the stack leaves a final snapshot (removal policy SNAPSHOT).
 */
public final class Database extends Construct {
    static final int PORT = 5432;

    private final DatabaseInstance instance;

    public Database(Construct scope, String id, StackSettings.DatabaseSettings settings, Network network) {
        super(scope, id);
        var securityGroup = network.storeSecurityGroup(this, "TileMUD PostgreSQL: from the functions only", PORT);

        instance = DatabaseInstance.Builder.create(this, "Instance")
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_16)
                        .build()))
                .instanceType(new InstanceType(settings.instanceType()))
                .vpc(network.vpc())
                .vpcSubnets(network.dataSubnets())
                .securityGroups(List.of(securityGroup))
                .port(PORT)
                .credentials(Credentials.fromGeneratedSecret(ContractAdditions.DATABASE_USER))
                .databaseName(ContractAdditions.DATABASE_NAME)
                .multiAz(settings.multiAz())
                .allocatedStorage(settings.allocatedStorageGb())
                .maxAllocatedStorage(settings.allocatedStorageGb() * 5)
                .storageType(StorageType.GP3)
                .storageEncrypted(true)
                .publiclyAccessible(false)
                .backupRetention(Duration.days(7))
                .autoMinorVersionUpgrade(true)
                .deletionProtection(settings.deletionProtection())
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
    }

    public String host() {
        return instance.getDbInstanceEndpointAddress();
    }

    public String port() {
        return instance.getDbInstanceEndpointPort();
    }

    /** PgJDBC URL; RDS PostgreSQL 16 enforces TLS ({@code rds.force_ssl=1}), so the URL requires it too. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + ContractAdditions.DATABASE_NAME
                + "?sslmode=require";
    }

    public ISecret secret() {
        return Objects.requireNonNull(instance.getSecret(), "generated credentials always have a secret");
    }
}
