package io.tilemud.realtime;

import io.micronaut.context.annotation.Requires;
import io.tilemud.connection.DynamoDbSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.net.URI;
import java.time.Duration;

/** {@link ClientMessenger} through API Gateway's management API (the same client against AWS and the local stack). */
@Singleton
@Requires(property = "tilemud.realtime.management-endpoint", pattern = ".+")
public class ApiGatewayClientMessenger implements ClientMessenger {
    private final ApiGatewayManagementApiClient client;

    public ApiGatewayClientMessenger(RealtimeSettings settings, DynamoDbSettings aws) {
        this.client = ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create(settings.managementEndpoint()))
                .region(Region.of(aws.region()))
                // The local stack's static credentials are the same emulator credentials DynamoDB Local gets.
                .credentialsProvider(aws.hasStaticCredentials()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()))
                        : DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(2)).build())
                .build();
    }

    @Override
    public boolean send(String connectionId, String frame) {
        SdkBytes data = SdkBytes.fromUtf8String(frame);
        if (data.asByteBuffer().remaining() > Frames.MAX_FRAME_BYTES) {
            // API Gateway would refuse it (PayloadTooLargeException); every frame producer bounds its size, so this
            // is a bug to surface, not a reason to drop the connection.
            throw new IllegalArgumentException("frame of " + data.asByteBuffer().remaining() + " bytes exceeds "
                    + Frames.MAX_FRAME_BYTES);
        }
        try {
            client.postToConnection(b -> b.connectionId(connectionId).data(data));
            return true;
        } catch (GoneException gone) {
            return false;
        }
    }

    @Override
    public void disconnect(String connectionId) {
        try {
            client.deleteConnection(b -> b.connectionId(connectionId));
        } catch (GoneException alreadyGone) {
            // nothing to close
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
