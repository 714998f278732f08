package io.tilemud.localstack;

import io.tilemud.localstack.http.HttpApiEmulator;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Command line of the local stack.
 *
 * @param httpPort         API Gateway HTTP API emulation (and the dev identity provider)
 * @param wsPort           API Gateway WebSocket API emulation
 * @param dataDir          keep PostgreSQL data here across restarts; empty for an ephemeral database
 * @param redisUrl         use this Redis instead of the embedded one
 * @param jdbcUrl          use this PostgreSQL instead of the embedded one
 * @param dynamoDbEndpoint use this DynamoDB (Local) instead of the embedded one
 * @param janitorSeconds   how often the janitor handler runs (the cloud runs it every minute)
 * @param fakeDiscordPort  start the fake Discord on this port and the Discord relay wired to it; empty: no Discord
 * @param lambdaConcurrency how many invocations the HTTP function runs at once; past it API Gateway's throttle
 *                          {@code 500} (default: Lambda's account limit, 1,000; the CDK stack reserves
 *                          {@code dbReservedConcurrency}, 10 by default, for its database-bound functions)
 */
public record LocalStackOptions(int httpPort, int wsPort, Optional<Path> dataDir, Optional<String> redisUrl,
                                Optional<String> jdbcUrl, Optional<String> dynamoDbEndpoint, int janitorSeconds,
                                Optional<Integer> fakeDiscordPort, int lambdaConcurrency) {
    public static final int DEFAULT_FAKE_DISCORD_PORT = 3002;

    /** With Lambda's default concurrency limit. */
    public LocalStackOptions(int httpPort, int wsPort, Optional<Path> dataDir, Optional<String> redisUrl,
                             Optional<String> jdbcUrl, Optional<String> dynamoDbEndpoint, int janitorSeconds,
                             Optional<Integer> fakeDiscordPort) {
        this(httpPort, wsPort, dataDir, redisUrl, jdbcUrl, dynamoDbEndpoint, janitorSeconds, fakeDiscordPort,
                HttpApiEmulator.LAMBDA_CONCURRENCY);
    }

    /** Without Discord (DSC-04: the game runs the same without it). */
    public LocalStackOptions(int httpPort, int wsPort, Optional<Path> dataDir, Optional<String> redisUrl,
                             Optional<String> jdbcUrl, Optional<String> dynamoDbEndpoint, int janitorSeconds) {
        this(httpPort, wsPort, dataDir, redisUrl, jdbcUrl, dynamoDbEndpoint, janitorSeconds, Optional.empty());
    }

    public static final String USAGE = """
            Usage: java -jar tilemud-localstack.jar [options]
              --http-port N            HTTP API emulator port (default 3000)
              --ws-port N              WebSocket API emulator port (default 3001)
              --data-dir DIR           keep PostgreSQL data in DIR across restarts (default: ephemeral)
              --redis-url URL          external Redis instead of the embedded one
              --jdbc-url URL           external PostgreSQL (jdbc:postgresql://host/db?user=..&password=..)
              --dynamodb-endpoint URL  external DynamoDB (Local) instead of the embedded one
              --janitor-seconds N      janitor schedule (default 5)
              --fake-discord           Discord voice for rooms against a local fake Discord (never the real one)
              --fake-discord-port N    the fake Discord's port (default 3002; implies --fake-discord)
              --lambda-concurrency N   HTTP function invocations at once, past which requests get API Gateway's
                                       throttle 500 (default 1000, Lambda's account limit; the CDK stack reserves
                                       10 by default, dbReservedConcurrency: pass 10 to see the cloud's limit)
              --help                   this text""";

    public static LocalStackOptions parse(String... args) {
        int httpPort = 3000;
        int wsPort = 3001;
        int janitorSeconds = 5;
        int lambdaConcurrency = HttpApiEmulator.LAMBDA_CONCURRENCY;
        Optional<Path> dataDir = Optional.empty();
        Optional<String> redisUrl = Optional.empty();
        Optional<String> jdbcUrl = Optional.empty();
        Optional<String> dynamo = Optional.empty();
        Optional<Integer> fakeDiscord = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("--help") || name.equals("-h")) {
                throw new UsageException(null);
            }
            if (arg.equals("--fake-discord")) {
                fakeDiscord = Optional.of(fakeDiscord.orElse(DEFAULT_FAKE_DISCORD_PORT));
                continue;
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            switch (name) {
                case "--http-port" -> httpPort = port(name, value);
                case "--ws-port" -> wsPort = port(name, value);
                case "--janitor-seconds" -> janitorSeconds = positive(name, value);
                case "--data-dir" -> dataDir = Optional.of(Path.of(value));
                case "--redis-url" -> redisUrl = Optional.of(value);
                case "--jdbc-url" -> jdbcUrl = Optional.of(value);
                case "--dynamodb-endpoint" -> dynamo = Optional.of(value);
                case "--fake-discord-port" -> fakeDiscord = Optional.of(port(name, value));
                case "--lambda-concurrency" -> lambdaConcurrency = positive(name, value);
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (httpPort == wsPort) {
            throw new UsageException("--http-port and --ws-port must differ");
        }
        if (fakeDiscord.isPresent() && (fakeDiscord.get() == httpPort || fakeDiscord.get() == wsPort)) {
            throw new UsageException("--fake-discord-port must differ from --http-port and --ws-port");
        }
        return new LocalStackOptions(httpPort, wsPort, dataDir, redisUrl, jdbcUrl, dynamo, janitorSeconds, fakeDiscord,
                lambdaConcurrency);
    }

    private static int port(String name, String value) {
        int port = positive(name, value);
        if (port > 65535) {
            throw new UsageException(name + " must be a port number, got " + value);
        }
        return port;
    }

    private static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n <= 0) {
                throw new UsageException(name + " must be positive, got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, got " + value);
        }
    }

    /** A command line we cannot run; the message says why (null for --help). */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
