package io.tilemud.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CDK entry point. Run by the CDK CLI through {@code cdk.json} or by the Maven {@code synth} profile; extra
 * {@code key=value} arguments become context, as {@code cdk -c key=value} would.
 */
public final class TileMudApp {
    private TileMudApp() {
    }

    public static void main(String[] args) {
        try {
            synthesize(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A wrong setting, a missing jar or web client: the message says what to do, a stack trace would bury it.
            System.err.println("TileMUD synth failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void synthesize(String[] args) {
        App app = new App(appProps(args));
        StackSettings settings = StackSettings.fromContext(app.getNode()::tryGetContext);
        // Environment-agnostic on purpose: account and region come from the deploying credentials, and synthesis
        // needs no AWS access (nothing is looked up).
        new TileMudStack(app, settings.stackName(), StackProps.builder()
                .description("TileMUD Cloud serverless backend (infra-cdk)")
                .build(), settings, LambdaArtifacts.locate(settings), WebClientFiles.locate(settings));
        app.synth();
    }

    private static AppProps appProps(String[] args) {
        var builder = AppProps.builder().context(context(args));
        // Under the CDK CLI, CDK_OUTDIR names the output; on its own (Maven synth) write where the CLI would.
        if (System.getenv("CDK_OUTDIR") == null) {
            builder.outdir("cdk.out");
        }
        return builder.build();
    }

    static Map<String, Object> context(String[] args) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("context arguments are key=value, got: " + arg);
            }
            context.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return context;
    }
}
