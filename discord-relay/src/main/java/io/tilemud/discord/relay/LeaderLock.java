package io.tilemud.discord.relay;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.tilemud.discord.DiscordSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Only one relay drains the outbox and holds the gateway: a PostgreSQL session-level advisory lock
 * ({@code pg_try_advisory_lock}) on a connection of its own, outside the pool's transactions. PostgreSQL releases
 * it when that session ends, so a relay that dies (or loses its connection) hands over without a lease timeout to
 * wait out; {@link #holds()} checks the session is still there before every round. The connection is borrowed from
 * the pool for as long as this relay leads. Thread-safe.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class LeaderLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLock.class);
    private final DataSource dataSource;
    private final RelaySettings settings;
    private Connection session;

    public LeaderLock(DataSource dataSource, RelaySettings settings) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.settings = settings;
    }

    /** @return true when this relay is (now or still) the leader */
    public synchronized boolean tryAcquire() {
        if (holds()) {
            return true;
        }
        release();
        try {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, settings.leaderLockKey());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        session = c;
                        LOG.info("discord relay is the leader");
                        return true;
                    }
                }
            }
            c.close();
            return false;
        } catch (SQLException e) {
            LOG.warn("discord relay leader lock unavailable: {}", e.toString());
            return false;
        }
    }

    /** True while the locking session is alive (the lock lives exactly as long). */
    public synchronized boolean holds() {
        if (session == null) {
            return false;
        }
        try {
            return session.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    public synchronized void release() {
        if (session != null) {
            // A pooled connection outlives close(): unlock explicitly. Should this fail the session is broken, and
            // PostgreSQL drops the lock with it.
            try (PreparedStatement s = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                s.setLong(1, settings.leaderLockKey());
                s.execute();
            } catch (SQLException ignored) {
                // see above
            }
            try {
                session.close();
            } catch (SQLException ignored) {
                // gone either way
            }
            session = null;
        }
    }

    @Override
    @PreDestroy
    public void close() {
        release();
    }
}
