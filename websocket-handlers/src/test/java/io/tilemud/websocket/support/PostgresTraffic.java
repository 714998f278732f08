package io.tilemud.websocket.support;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one thread sends to PostgreSQL, counted from the JDBC driver's protocol trace (pgjdbc logs every frontend
 * message at FINEST): an Execute or a simple query per statement (BEGIN and COMMIT included), a Sync per round trip.
 * For tests that keep a hot path's database cost in check; close it to stop tracing. The driver's logger is held
 * here so its level is not lost to garbage collection meanwhile.
 */
public final class PostgresTraffic implements AutoCloseable {
    private static final Logger DRIVER = Logger.getLogger("org.postgresql");
    private final Thread thread = Thread.currentThread();
    private final Level levelBefore = DRIVER.getLevel();
    private int statements;
    private int roundTrips;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (Thread.currentThread() != thread || record.getMessage() == null) {
                return;
            }
            String message = record.getMessage();
            // BEGIN goes as a simple query, pipelined with the statement after it (no Sync of its own).
            if (message.startsWith(" FE=> Execute") || message.startsWith(" FE=> SimpleQuery")) {
                statements++;
            } else if (message.startsWith(" FE=> Sync")) {
                roundTrips++;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private PostgresTraffic() {
        handler.setLevel(Level.ALL);
        DRIVER.addHandler(handler);
        DRIVER.setLevel(Level.FINEST);
    }

    /** Starts counting what the calling thread sends. */
    public static PostgresTraffic onThisThread() {
        return new PostgresTraffic();
    }

    public int statements() {
        return statements;
    }

    public int roundTrips() {
        return roundTrips;
    }

    @Override
    public void close() {
        DRIVER.removeHandler(handler);
        DRIVER.setLevel(levelBefore);
    }
}
