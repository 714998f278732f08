package io.tilemud.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Version;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * One Java 21 / arm64 function with SnapStart and the {@value #ALIAS} alias every trigger targets. SnapStart only
 * applies to published versions, so invoking {@code $LATEST} would cold-start the full Micronaut context: nothing
 * in the stack points at the unqualified function.
 */
public final class GameLambda extends Construct {
    /** Alias name; API integrations, the authorizer and the schedule invoke it. */
    public static final String ALIAS = "live";

    private final FunctionSpec spec;
    private final Function function;
    private final Alias alias;

    GameLambda(Construct scope, FunctionSpec spec, Code code, Map<String, String> environment, Integer reserved,
               StackSettings settings, Network network) {
        super(scope, spec.id().constructId());
        this.spec = spec;
        var logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(LogRetention.of(settings.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        function = Function.Builder.create(this, "Function")
                .description("TileMUD " + spec.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .code(code)
                .handler(spec.handler())
                .memorySize(spec.memoryMb())
                .timeout(Duration.seconds(spec.timeoutSeconds()))
                .environment(environment)
                .vpc(network.vpc())
                .vpcSubnets(network.appSubnets())
                .securityGroups(List.of(network.functionsSecurityGroup()))
                .logGroup(logGroup)
                .reservedConcurrentExecutions(reserved)
                .build();
        Tags.of(function).add(FunctionId.TAG, spec.id().key());
        // CDK warns that SnapStart needs published versions; the alias below publishes one on every change.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "published through currentVersion and the " + ALIAS + " alias");
        alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    public FunctionSpec spec() {
        return spec;
    }

    public Function function() {
        return function;
    }

    /** What every trigger invokes. */
    public Alias alias() {
        return alias;
    }

    /** The version SnapStart snapshots when CloudFormation publishes it. */
    public Version version() {
        return function.getCurrentVersion();
    }
}
