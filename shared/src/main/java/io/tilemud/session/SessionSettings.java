package io.tilemud.session;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * Session lifetimes ({@code tilemud.session}).
 *
 * @param graceSeconds    how long an unexpectedly disconnected session keeps its slot (ADM-18)
 * @param pendingSeconds  how long an admitted session may take to connect its WebSocket (ADM-17)
 */
@ConfigurationProperties("tilemud.session")
public record SessionSettings(@Bindable(defaultValue = "60") @Positive int graceSeconds,
                              @Bindable(defaultValue = "30") @Positive int pendingSeconds) {
}
