package io.tilemud.database;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * PostgreSQL's bounded waits and what clients are told while it is unavailable ({@code tilemud.database}). The pool's
 * own waits ({@code connection-timeout}, {@code validation-timeout}) are HikariCP settings under
 * {@code datasources.default}; these are the driver's and the server's, applied by {@link DriverTimeouts}.
 *
 * @param connectTimeoutSeconds  PgJDBC {@code connectTimeout}: TCP connect and start-up handshake (whole seconds)
 * @param socketTimeoutSeconds   PgJDBC {@code socketTimeout}: a read that gets no byte for this long breaks the
 *                               connection (whole seconds; 0 would mean "wait for ever", so it is refused)
 * @param statementTimeoutMillis server-side {@code statement_timeout} of every pooled session, lock waits included
 * @param retryAfterSeconds      {@code Retry-After} of a {@code 503 DB_UNAVAILABLE}: about how long a failover or
 *                               restart takes to become visible, so clients neither hammer nor give up
 */
@ConfigurationProperties("tilemud.database")
public record DatabaseSettings(@Bindable(defaultValue = "1") @Positive int connectTimeoutSeconds,
                               @Bindable(defaultValue = "2") @Positive int socketTimeoutSeconds,
                               @Bindable(defaultValue = "1500") @Positive int statementTimeoutMillis,
                               @Bindable(defaultValue = "2") @Positive int retryAfterSeconds) {
}
