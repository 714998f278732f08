package io.tilemud.database;

import io.micronaut.data.connection.exceptions.ConnectionException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * Tells "PostgreSQL is unreachable, stalled or shutting down" (retry later: {@code DB_UNAVAILABLE}, RT-08) from every
 * other failure (a bug, a constraint: {@code INTERNAL_ERROR}). Stateless and thread-safe.
 *
 * <p>What the bounded waits of {@code datasources.default} raise when they run out: the pool's
 * {@code connection-timeout} gives {@link SQLTransientConnectionException}; PgJDBC's {@code connectTimeout} and
 * {@code socketTimeout} give SQLState class {@code 08} (connection exception); the server-side
 * {@code statement_timeout} gives {@code 57014} (query canceled); a server going down gives {@code 57P01..57P03}.
 */
public final class DatabaseFailures {
    /** SQLState classes of an unavailable server: connection exception, insufficient resources, operator intervention. */
    private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "53", "57");

    private DatabaseFailures() {
    }

    /** True when {@code failure} or any of its causes says the database cannot answer right now. */
    public static boolean isUnavailable(Throwable failure) {
        return isUnavailable(failure, 0);
    }

    private static boolean isUnavailable(Throwable failure, int depth) {
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            // Micronaut Data's connection layer failed: no connection, or one that broke under it (after a socket
            // timeout it finds the connection closed while resetting it and reports that, not the timeout).
            if (t instanceof ConnectionException) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isUnavailable(suppressed, depth + 1)) {
                    return true;
                }
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && UNAVAILABLE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }
}
