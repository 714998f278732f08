package io.tilemud.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.constructs.Construct;

import java.util.List;

/** EventBridge rule that runs the janitor once a minute (grace expiry, stale sessions, queue promotion). */
public final class JanitorSchedule extends Construct {
    static final Duration INTERVAL = Duration.minutes(1);

    public JanitorSchedule(Construct scope, String id, GameLambda janitor) {
        super(scope, id);
        Rule.Builder.create(this, "EveryMinute")
                .description("TileMUD janitor")
                .schedule(Schedule.rate(INTERVAL))
                .targets(List.of(new LambdaFunction(janitor.alias(), LambdaFunctionProps.builder()
                        // The next tick redoes whatever a failed run missed; retrying would only overlap with it.
                        .retryAttempts(0)
                        .maxEventAge(Duration.minutes(1))
                        .build())))
                .build();
    }
}
