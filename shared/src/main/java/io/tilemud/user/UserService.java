package io.tilemud.user;

import jakarta.inject.Singleton;

import java.util.UUID;

/** Users are created on their first authenticated call (ADM-22). */
@Singleton
public class UserService {
    private final UserRepository users;

    public UserService(UserRepository users) {
        this.users = users;
    }

    /** The user behind an authenticated subject, created if this is its first call. */
    public User ensureUser(String subject) {
        return users.findBySubject(subject).orElseGet(() -> {
            users.insertIfAbsent(UUID.randomUUID(), subject);
            return users.findBySubject(subject).orElseThrow();
        });
    }
}
