package io.tilemud.infra;

import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.Map;

/**
 * Gives the Lambda functions CDK creates for itself (custom resource providers such as the S3 bucket's
 * auto-delete-objects handler) a log group with the stack's retention. Without one they write to an implicit
 * {@code /aws/lambda/...} group that keeps everything forever (OPS-02: logs keep 30 days).
 */
final class HelperFunctionLogs {
    private HelperFunctionLogs() {
    }

    /** Call once every construct exists; our own functions ({@link CfnFunction}) already have their groups. */
    static void retain(Construct stack, int retentionDays) {
        int n = 0;
        for (IConstruct child : stack.getNode().findAll()) {
            if (child instanceof CfnResource resource && !(child instanceof CfnFunction)
                    && "AWS::Lambda::Function".equals(resource.getCfnResourceType())) {
                LogGroup logs = LogGroup.Builder.create(stack, "HelperLogs" + (n++))
                        .retention(LogRetention.of(retentionDays))
                        .removalPolicy(RemovalPolicy.DESTROY)
                        .build();
                resource.addPropertyOverride("LoggingConfig", Map.of("LogGroup", logs.getLogGroupName()));
            }
        }
    }
}
