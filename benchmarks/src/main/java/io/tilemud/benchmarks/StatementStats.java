package io.tilemud.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL's own account of a measured window, from {@code pg_stat_statements} (the embedded server preloads it):
 * which statements ran, how often per operation and how long each took inside the server. It is the server half of
 * the profile: JFR sees only the stack's JVM, and PostgreSQL is most of "its servers" CPU on the move path.
 * Execution time excludes parsing, network and commit; the CPU figures from /proc stay the totals.
 */
final class StatementStats {
    private final String jdbcUrl;
    private boolean available;

    StatementStats(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Starts the window: forgets everything counted so far. */
    void reset() {
        try (Connection db = DriverManager.getConnection(jdbcUrl); Statement s = db.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute("SELECT pg_stat_statements_reset()");
            available = true;
        } catch (SQLException e) {
            // An external PostgreSQL without the library preloaded: the run goes on without this table.
            System.out.println("  (no pg_stat_statements: " + e.getMessage().lines().findFirst().orElse("") + ")");
            available = false;
        }
    }

    /**
     * The {@code top} statements of the window by time, with calls and time per {@code op}, as lines to print; read
     * when the window ends, since the counts go on growing after it.
     */
    String report(long ops, String op, int top) {
        if (!available || ops == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        String sql = """
                SELECT calls, total_exec_time, toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 90)
                FROM pg_stat_statements
                WHERE query NOT LIKE '%pg_stat_statements%'
                ORDER BY total_exec_time DESC LIMIT ?""";
        try (Connection db = DriverManager.getConnection(jdbcUrl); var s = db.prepareStatement(sql)) {
            s.setInt(1, top);
            out.append("  PostgreSQL statements in the window (pg_stat_statements; nested = run inside a function):\n");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long calls = rs.getLong(1);
                    double totalMs = rs.getDouble(2);
                    out.append(String.format("    %5.2f per %s, %6.3f ms each, %6.3f ms per %s%s  %s%n", calls / (double) ops,
                            op, totalMs / calls, totalMs / ops, op, rs.getBoolean(3) ? "        " : " nested ", rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            return "  (pg_stat_statements not read: " + e.getMessage() + ")\n";
        }
        return out.toString();
    }
}
