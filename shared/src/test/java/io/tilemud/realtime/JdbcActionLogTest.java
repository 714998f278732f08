package io.tilemud.realtime;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.tilemud.error.ErrorCode;
import io.tilemud.testing.OnSharedInfra;
import io.tilemud.testing.Sql;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** (Not transactional: every apply must really commit, as in production.)
 * RT-03 ordering and idempotent replay, RT-04 rules and all-or-nothing persistence, on real PostgreSQL. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcActionLogTest implements OnSharedInfra {

    @Inject
    ActionLog log;
    @Inject
    DataSource contextual;

    private DataSource db;
    private String instance;
    private UUID character;
    private String session;

    private void sql(String statement, Object... args) throws SQLException {
        Sql.exec(db, statement, args);
    }

    private long count(String statement, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private int[] position() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT x, y FROM characters WHERE id = ?")) {
            ps.setObject(1, character);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new int[]{rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private long events() throws SQLException {
        return count("SELECT count(*) FROM action_events WHERE session_id = ?", session);
    }

    @BeforeEach
    void freshWorld() throws SQLException {
        // GIVEN a 5x5 instance with a wall at (2,1), and a character at (1,1)
        db = DelegatingDataSource.unwrapDataSource(contextual);
        instance = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        UUID user = UUID.randomUUID();
        character = UUID.randomUUID();
        session = "s-" + UUID.randomUUID();
        sql("INSERT INTO instances (id, capacity, build, state, width, height) VALUES (?, 10, 'dev', 'ACCEPTING', 5, 5)", instance);
        sql("INSERT INTO world_walls (instance_id, x, y) VALUES (?, 2, 1)", instance);
        sql("INSERT INTO users (id, subject) VALUES (?, ?)", user, "rt-" + user);
        sql("INSERT INTO characters (id, user_id, name, x, y) VALUES (?, ?, 'Mover', 1, 1)", character, user);
    }

    @Test
    void apply_firstMove_committedWithEvent() throws SQLException {
        IntentOutcome outcome = log.apply(session, character, instance, new Intent.Move(1, 0, 1));

        assertEquals(new IntentOutcome.Applied(1, "move", 1, 2), outcome);
        assertArrayEquals(new int[]{1, 2}, position());
        assertEquals(1, events());
        assertEquals(1, log.lastSeq(session));
    }

    @Test
    void apply_sameSeqTwice_secondIsReplayAndNothingAppliedTwice() throws SQLException {
        log.apply(session, character, instance, new Intent.Move(1, 0, 1));

        IntentOutcome again = log.apply(session, character, instance, new Intent.Move(1, 0, 1));

        assertEquals(new IntentOutcome.Replayed(1), again);
        assertArrayEquals(new int[]{1, 2}, position());
        assertEquals(1, events());
    }

    @Test
    void apply_gapInSeq_seqOutOfOrderAndNothingStored() throws SQLException {
        IntentOutcome outcome = log.apply(session, character, instance, new Intent.Move(2, 0, 1));

        assertEquals(ErrorCode.SEQ_OUT_OF_ORDER, assertInstanceOf(IntentOutcome.Rejected.class, outcome).code());
        assertArrayEquals(new int[]{1, 1}, position());
        assertEquals(0, events());
    }

    @Test
    void apply_illegalMoves_invalidMoveAndSeqNotConsumed() throws SQLException {
        for (Intent.Move bad : List.of(new Intent.Move(1, 1, 0), new Intent.Move(1, 0, 2), new Intent.Move(1, 0, 0))) {
            IntentOutcome outcome = log.apply(session, character, instance, bad);
            assertEquals(ErrorCode.INVALID_MOVE, assertInstanceOf(IntentOutcome.Rejected.class, outcome).code(), bad.toString());
        }
        // off the map: walk to the top edge first
        log.apply(session, character, instance, new Intent.Move(1, 0, -1));
        IntentOutcome offMap = log.apply(session, character, instance, new Intent.Move(2, 0, -1));

        assertEquals(ErrorCode.INVALID_MOVE, assertInstanceOf(IntentOutcome.Rejected.class, offMap).code());
        assertArrayEquals(new int[]{1, 0}, position());
        assertEquals(1, events());
        assertEquals(1, log.lastSeq(session));
    }

    @Test
    void apply_chatAndAction_recordedWithoutMoving() throws SQLException {
        assertEquals(new IntentOutcome.Applied(1, "chat", 1, 1), log.apply(session, character, instance, new Intent.Chat(1, "hi")));
        assertEquals(new IntentOutcome.Applied(2, "action", 1, 1),
                log.apply(session, character, instance, new Intent.Action(2, "wave", Map.of("to", "all"))));

        assertEquals(2, events());
        assertEquals(1, count("SELECT count(*) FROM action_events WHERE session_id = ? AND payload->>'text' = 'hi'", session));
    }

    @Test
    void apply_sameSeqRacedFromManyThreads_appliedExactlyOnce() throws Exception {
        List<IntentOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            threads.add(Thread.ofVirtual().start(() -> outcomes.add(log.apply(session, character, instance, new Intent.Move(1, 0, 1)))));
        }
        for (Thread t : threads) {
            t.join();
        }

        assertEquals(1, outcomes.stream().filter(IntentOutcome.Applied.class::isInstance).count(), outcomes.toString());
        assertEquals(11, outcomes.stream().filter(IntentOutcome.Replayed.class::isInstance).count());
        assertArrayEquals(new int[]{1, 2}, position());
        assertEquals(1, events());
    }

    @Test
    void apply_move_logRowNamesTheStepAndWhereItEnded() throws SQLException {
        log.apply(session, character, instance, new Intent.Move(1, 0, 1));
        log.apply(session, character, instance, new Intent.Chat(2, "hi"));

        // Resume (RT-06) reads these: a move's step and landing tile, a chat's tile and text.
        assertEquals(1, count("""
                SELECT count(*) FROM action_events WHERE session_id = ? AND seq = 1
                  AND payload = '{"dx": 0, "dy": 1, "x": 1, "y": 2}'::jsonb""", session));
        assertEquals(1, count("""
                SELECT count(*) FROM action_events WHERE session_id = ? AND seq = 2
                  AND payload = '{"text": "hi", "x": 1, "y": 2}'::jsonb""", session));
    }

    @Test
    void apply_consecutiveSeqsRacedOutOfOrder_eachAppliedOnceInOrder() throws Exception {
        // GIVEN seqs 1..8 sent at once from 8 threads, as a pipelining client whose frames race across containers
        List<IntentOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < 8; round++) {
            List<Thread> threads = new ArrayList<>();
            for (int seq = 1; seq <= 8; seq++) {
                long s = seq;
                threads.add(Thread.ofVirtual().start(() -> outcomes.add(log.apply(session, character, instance,
                        new Intent.Move(s, 0, s % 2 == 1 ? 1 : -1)))));
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        // THEN every seq applied exactly once (the refused ones were resent until their turn), none twice
        assertEquals(8, outcomes.stream().filter(IntentOutcome.Applied.class::isInstance).count(), outcomes.toString());
        assertEquals(8, events());
        assertEquals(8, log.lastSeq(session));
        assertEquals(8, count("SELECT count(DISTINCT seq) FROM action_events WHERE session_id = ?", session));
        // four steps down and four up, alternating in seq order: back where it started
        assertArrayEquals(new int[]{1, 1}, position());
    }

    @Test
    void apply_databaseFailsAfterTheMoveUpdate_nothingCommitted() throws SQLException {
        // GIVEN PostgreSQL refusing this session's event row, after the character update already ran
        sql("""
                CREATE OR REPLACE FUNCTION tilemud_test_fail_insert() RETURNS trigger AS $$
                BEGIN
                  IF NEW.session_id = '%s' THEN RAISE EXCEPTION 'injected failure'; END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""".formatted(session));
        sql("CREATE TRIGGER tilemud_test_fail BEFORE INSERT ON action_events FOR EACH ROW EXECUTE FUNCTION tilemud_test_fail_insert()");
        try {
            // WHEN
            assertThrows(ActionLogUnavailableException.class, () -> log.apply(session, character, instance, new Intent.Move(1, 0, 1)));
            // THEN all or nothing: the position did not move either
            assertArrayEquals(new int[]{1, 1}, position());
            assertEquals(0, events());
        } finally {
            sql("DROP TRIGGER tilemud_test_fail ON action_events");
        }
    }
}
