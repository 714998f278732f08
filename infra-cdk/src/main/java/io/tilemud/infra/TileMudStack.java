package io.tilemud.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * The whole TileMUD Cloud backend (OPS-05): network, the three stores, identity, both APIs, every function, the
 * janitor schedule, monitoring and the browser client's hosting (WEB).
 */
public final class TileMudStack extends Stack {

    public TileMudStack(Construct scope, String id, StackProps props, StackSettings settings,
                        LambdaArtifacts artifacts, WebClientFiles webClientFiles) {
        super(scope, id, props);
        Tags.of(this).add("project", "tilemud");

        var network = new Network(this, "Network", settings);
        var data = new Data(this, "Data", settings, network);
        // The web client's domain comes first: Cognito's callback URL and the HTTP API's CORS origin name it.
        var web = new WebClientHosting(this, "WebClient", webClientFiles, settings.logRetentionDays());
        var identity = new Identity(this, "Identity", settings, web.url());
        var realtime = new GameWebSocketApi(this, "Realtime", settings);
        var functions = new Functions(this, "Functions", settings, artifacts, network, data, identity.issuer(),
                realtime.stage());
        realtime.route(functions);
        var http = new GameHttpApi(this, "Http", settings, identity.issuer(), functions, web.origin());
        web.deploy(http.endpoint(), realtime.url(), settings.build(), identity.browserLogin());
        new JanitorSchedule(this, "Janitor", functions.get(FunctionId.JANITOR));
        var monitoring = new Monitoring(this, "Monitoring", settings, functions, http, realtime);
        HelperFunctionLogs.retain(this, settings.logRetentionDays());
        // Discord voice for rooms (DSC-04: optional): the relay service and the functions' switch, only when enabled.
        DiscordDeployment.fromContext(getNode()::tryGetContext).ifPresent(discord -> {
            var relay = new DiscordRelayService(this, "DiscordRelay", settings, discord, network, data,
                    realtime.stage().getCallbackUrl(), realtime.stage(), monitoring.topic());
            relay.enable(functions, discord);
            output("DiscordSecretArn", relay.secret().getSecretArn(), "Discord bot token and OAuth2 client secret (JSON)");
        });

        output("HttpApiUrl", http.url(), "HTTP API base URL");
        output("WebSocketUrl", realtime.url(), "WebSocket URL (append ?sessionId=...)");
        output("ConnectionsTableName", data.connections().table().getTableName(), "DynamoDB connection registry");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "SNS topic of every alarm");
        output("DatabaseSecretArn", data.database().secret().getSecretArn(), "RDS credentials (Secrets Manager)");
        output("WebClientUrl", web.url(), "Browser client (S3 + CloudFront)");
        output("JwtIssuer", identity.issuer().issuer(), "Expected token issuer");
        identity.userPool().ifPresent(pool -> output("UserPoolId", pool.getUserPoolId(), "Cognito user pool"));
        identity.client().ifPresent(client ->
                output("UserPoolClientId", client.getUserPoolClientId(), "Cognito app client (token audience)"));
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
