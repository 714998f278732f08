package io.tilemud.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * The verified-token cache ({@code tilemud.auth.token-cache}, {@link CachingTokenValidator}).
 *
 * @param maxEntries  at most this many verified tokens are remembered (least recently used go first)
 * @param maxAgeSeconds a token is verified again after this many seconds even if it expires later: how long a
 *                    signing key the issuer withdrew keeps working for a token already seen
 */
@ConfigurationProperties("tilemud.auth.token-cache")
public record TokenCacheSettings(@Bindable(defaultValue = "10000") @Positive int maxEntries,
                                 @Bindable(defaultValue = "300") @Positive int maxAgeSeconds) {
}
