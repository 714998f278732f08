package io.tilemud.realtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Overload control for intents in one container (see {@link IntentGate}).
 *
 * @param maxInFlight     intents applied at once; below the JDBC pool's size so admissions and resumes still get a
 *                        connection (a Lambda container runs one invocation at a time and never reaches it)
 * @param queueWaitMillis how long an intent may wait for a free place before it is refused as busy
 */
@ConfigurationProperties("tilemud.realtime.gate")
public record IntentGateSettings(@Bindable(defaultValue = "32") @Positive int maxInFlight,
                                 @Bindable(defaultValue = "200") @PositiveOrZero long queueWaitMillis) {
}
