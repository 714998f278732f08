package io.tilemud.config;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import io.tilemud.contract.Environment;

import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the database and Redis secrets named by the environment before the application context starts, so the
 * data sources are created with them (in AWS this runs in the Lambda init phase, captured by SnapStart). With no
 * secret ARN in the environment — the local stack, tests — it does nothing and creates no AWS client.
 *
 * <p>It reads the process environment directly because it runs before configuration exists.
 */
@ContextConfigurer
public class AwsSecretsConfigurer implements ApplicationContextConfigurer {
    /** Above environment variables and application.yml: the secret is the source of truth when configured. */
    static final int ORDER = 1_000;

    @Override
    public void configure(ApplicationContextBuilder builder) {
        Map<String, String> environment = System.getenv();
        boolean configured = Stream.of(Environment.DB_SECRET_ARN, Environment.REDIS_AUTH_SECRET_ARN,
                        Environment.ROOMS_INVITE_SECRET_ARN, Environment.DISCORD_SECRET_ARN)
                .map(environment::get).anyMatch(arn -> arn != null && !arn.isBlank());
        if (!configured) {
            return;
        }
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            Map<String, Object> properties = SecretProperties.resolve(environment,
                    arn -> secrets.getSecretValue(b -> b.secretId(arn)).secretString());
            builder.propertySources(PropertySource.of("aws-secrets", properties, ORDER));
        }
    }
}
