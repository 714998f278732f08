package io.tilemud.connection;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;

import java.net.URI;
import java.util.Optional;

/**
 * DynamoDB access for the connection registry.
 *
 * @param endpoint         endpoint override (DynamoDB Local); blank in AWS
 * @param region           signing region
 * @param connectionsTable table name (see {@code ConnectionsTable})
 * @param createTable      create the table at start-up when missing: local stack and tests only, CDK owns it in AWS
 * @param accessKeyId      static credentials for an emulator; blank uses the default AWS credential chain
 * @param secretAccessKey  see {@code accessKeyId}
 */
@ConfigurationProperties("tilemud.dynamodb")
public record DynamoDbSettings(@Nullable String endpoint, @NotBlank String region, @NotBlank String connectionsTable,
                               boolean createTable, @Nullable String accessKeyId, @Nullable String secretAccessKey) {

    public Optional<URI> endpointOverride() {
        return endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint));
    }

    public boolean hasStaticCredentials() {
        return accessKeyId != null && !accessKeyId.isBlank() && secretAccessKey != null && !secretAccessKey.isBlank();
    }
}
