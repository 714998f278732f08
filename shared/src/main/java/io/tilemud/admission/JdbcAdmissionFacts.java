package io.tilemud.admission;

import io.micronaut.data.connection.annotation.Connectable;
import io.tilemud.character.CharacterStatus;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.UserService;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads {@link AdmissionFacts} in one PostgreSQL round trip (issue 15: the user, the character and the instance were
 * three {@code findOne}s, each a pool borrow and a round trip, most of an admission's latency). Plain JDBC on the
 * pool: no transaction is needed for one statement, and a statement sees one snapshot. The pool's and PgJDBC's
 * bounded waits apply as to every other query; their failures surface as {@link AdmissionFactsException} with the
 * {@link SQLException} as cause, which {@code DatabaseFailures} recognises. Thread-safe.
 */
@Singleton
public class JdbcAdmissionFacts {
    private static final String QUERY = """
            SELECT u.id, u.active_character_id, c.id, c.user_id, c.status, i.id, i.capacity, i.build, i.state
            FROM users u
            LEFT JOIN characters c ON c.id = ?
            LEFT JOIN instances i ON i.id = ?
            WHERE u.subject = ?""";

    private final DataSource dataSource;
    private final UserService users;

    public JdbcAdmissionFacts(DataSource dataSource, UserService users) {
        this.dataSource = dataSource;
        this.users = users;
    }

    /**
     * The facts for {@code subject} asking to play {@code characterId} on {@code instanceId}. A subject seen for the
     * first time gets its user row first (ADM-22), then the facts are read again: only a first call pays extra.
     * One pooled connection for the whole call (the injected {@link DataSource} hands out the current one).
     */
    @Connectable
    public AdmissionFacts read(String subject, UUID characterId, String instanceId) {
        AdmissionFacts facts = query(subject, characterId, instanceId).orElseGet(() -> {
            users.ensureUser(subject);
            return query(subject, characterId, instanceId)
                    .orElseThrow(() -> new IllegalStateException("user row missing right after it was ensured"));
        });
        users.remember(subject, facts.userId());
        return facts;
    }

    private Optional<AdmissionFacts> query(String subject, UUID characterId, String instanceId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setObject(1, characterId);
            statement.setString(2, instanceId);
            statement.setString(3, subject);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                UUID characterRowId = rs.getObject(3, UUID.class);
                String instanceRowId = rs.getString(6);
                return Optional.of(new AdmissionFacts(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        characterRowId == null ? null : new AdmissionFacts.Character(characterRowId,
                                rs.getObject(4, UUID.class), CharacterStatus.valueOf(rs.getString(5))),
                        instanceRowId == null ? null : new AdmissionFacts.Instance(instanceRowId, rs.getInt(7),
                                rs.getString(8), InstanceState.valueOf(rs.getString(9)))));
            }
        } catch (SQLException e) {
            throw new AdmissionFactsException(e);
        }
    }

    /** Reading the facts failed; the cause says whether PostgreSQL was unavailable. */
    public static final class AdmissionFactsException extends RuntimeException {
        AdmissionFactsException(SQLException cause) {
            super("reading admission facts failed: " + cause.getMessage(), cause);
        }
    }
}
