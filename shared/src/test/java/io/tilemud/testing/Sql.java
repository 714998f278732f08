package io.tilemud.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Test set-up straight to PostgreSQL: one statement, its own connection, committed when it returns. */
public final class Sql {
    private Sql() {
    }

    /** Runs {@code statement} with {@code args} bound in order (by {@code setObject}). */
    public static void exec(DataSource db, String statement, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
