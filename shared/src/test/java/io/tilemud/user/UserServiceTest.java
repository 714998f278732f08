package io.tilemud.user;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.tilemud.contract.MetricNames;
import io.tilemud.testing.OnSharedInfra;
import io.tilemud.testing.Sql;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Users on real PostgreSQL (ADM-22): created on a subject's first call, one row per subject, its id remembered. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserServiceTest implements OnSharedInfra {
    @Inject
    UserService users;
    @Inject
    UserRepository repository;
    @Inject
    MeterRegistry registry;
    @Inject
    DataSource contextual;

    @Test
    void idOf_newSubject_createsItsUserAndAnswersThatId() {
        String subject = "user-" + UUID.randomUUID();

        UUID id = users.idOf(subject);

        assertEquals(id, repository.findBySubject(subject).orElseThrow().id());
        assertEquals(id, users.ensureUser(subject).id());
    }

    @Test
    void idOf_afterTheFirstCall_answeredFromMemoryNotFromTheDatabase() throws Exception {
        // GIVEN a subject whose id was looked up once
        String subject = "user-" + UUID.randomUUID();
        UUID id = users.idOf(subject);
        double hits = hits();

        // WHEN its row no longer carries that subject (no code path does this: had the next call read PostgreSQL,
        // it would have created a second user with a new id)
        Sql.exec(DelegatingDataSource.unwrapDataSource(contextual), "UPDATE users SET subject = ? WHERE id = ?",
                subject + "-renamed", id);

        // THEN the same id comes back, counted as a hit of the cache operators see
        assertEquals(id, users.idOf(subject));
        assertEquals(hits + 1, hits());
        assertEquals(0, rowsWithSubject(subject));
    }

    @Test
    void idOf_afterTheAdmissionFactsNamedTheUser_answeredWithoutARead() throws Exception {
        // GIVEN a user row this service never read, whose id an admission read with its subject
        String subject = "user-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        DataSource db = DelegatingDataSource.unwrapDataSource(contextual);
        Sql.exec(db, "INSERT INTO users (id, subject) VALUES (?, ?)", id, subject);
        users.remember(subject, id);
        Sql.exec(db, "UPDATE users SET subject = ? WHERE id = ?", subject + "-renamed", id);
        double hits = hits();

        // WHEN its id is asked for
        UUID answered = users.idOf(subject);

        // THEN it is the remembered one, from memory
        assertEquals(id, answered);
        assertEquals(hits + 1, hits());
    }

    @Test
    void idOf_concurrentFirstCalls_oneUserAndOneIdForAll() throws Exception {
        // GIVEN a subject never seen, asked for by 16 callers at once
        String subject = "user-" + UUID.randomUUID();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<UUID>> answers = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                answers.add(callers.submit(() -> {
                    start.await();
                    return users.idOf(subject);
                }));
            }
            // WHEN they race
            start.countDown();
            Set<UUID> ids = new HashSet<>();
            for (Future<UUID> answer : answers) {
                ids.add(answer.get());
            }

            // THEN one row, and every caller got its id
            assertEquals(1, rowsWithSubject(subject));
            assertEquals(Set.of(repository.findBySubject(subject).orElseThrow().id()), ids);
        }
    }

    private double hits() {
        return registry.get(MetricNames.CACHE_REQUESTS).tag(MetricNames.CACHE, MetricNames.CACHE_USER_IDS)
                .tag(MetricNames.LOOKUP, MetricNames.HIT).functionCounter().count();
    }

    private int rowsWithSubject(String subject) throws Exception {
        try (Connection c = DelegatingDataSource.unwrapDataSource(contextual).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM users WHERE subject = ?")) {
            s.setString(1, subject);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
