package io.tilemud.connection;

import io.tilemud.config.StartupRetrySettings;
import io.tilemud.embedded.Ports;
import io.tilemud.embedded.testing.SharedTestInfra;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 7: creating the connections table retries transient failures with backoff and ends with a clear
 * error. Faults are injected in front of a real DynamoDB Local; backoffs of milliseconds keep the test fast.
 */
class ConnectionsTableSchemaTest {
    private static final StartupRetrySettings FAST = new StartupRetrySettings(4, Duration.ofMillis(10), 2, Duration.ofMillis(50));

    private static DynamoDbSettings settings(String endpoint, String table) {
        return new DynamoDbSettings(endpoint, "us-east-1", table, true, "local", "local");
    }

    /** DynamoDB that acts on each createTable but times out answering the first {@code timeouts} of them. */
    private static DynamoDbClient timingOut(DynamoDbClient real, int timeouts, AtomicInteger creates) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("createTable") && creates.incrementAndGet() <= timeouts) {
                        throw ApiCallTimeoutException.create(3000);
                    }
                    return answer;
                });
    }

    @Test
    void createIfMissing_createTimesOutTwiceAfterActing_retriedToATableWithTtl() {
        // GIVEN a DynamoDB that creates the table but whose answers time out twice (a loaded machine)
        String table = "schema-" + UUID.randomUUID();
        DynamoDbSettings settings = settings(SharedTestInfra.get().servers().dynamoDbEndpoint(), table);
        AtomicInteger creates = new AtomicInteger();
        try (DynamoDbClient real = new DynamoDbClientFactory().dynamoDbClient(settings)) {
            // WHEN
            new ConnectionsTableSchema(timingOut(real, 1, creates), settings, FAST).createIfMissing();
            // THEN the second try found the table the first had created, and finished the job
            assertEquals(1, creates.get());
            assertEquals(TimeToLiveStatus.ENABLED, real.describeTimeToLive(b -> b.tableName(table))
                    .timeToLiveDescription().timeToLiveStatus());
        }
    }

    @Test
    void createIfMissing_dynamoDbNeverAnswers_clearErrorAfterEveryTry() {
        // GIVEN nothing listening where DynamoDB should be
        String endpoint = "http://127.0.0.1:" + Ports.free();
        DynamoDbSettings settings = settings(endpoint, "schema-" + UUID.randomUUID());
        // a short call timeout instead of the production 3 s (the SDK spends it retrying refused connects)
        try (DynamoDbClient client = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMillis(300))).build()) {
            long t0 = System.nanoTime();
            // WHEN / THEN a clear final error: table, endpoint, tries, cause
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new ConnectionsTableSchema(client, settings, FAST).createIfMissing());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains(settings.connectionsTable()) && e.getMessage().contains(endpoint)
                    && e.getMessage().contains("after 4 tries"), e.getMessage());
            assertTrue(millis < 5_000, millis + " ms");
        }
    }
}
