package io.tilemud.functions.user;

import io.micronaut.security.authentication.Authentication;
import io.tilemud.user.User;
import io.tilemud.user.UserService;
import jakarta.inject.Singleton;

/** The user behind a validated token; created on its first authenticated call (ADM-22). */
@Singleton
public class CurrentUser {
    private final UserService users;

    public CurrentUser(UserService users) {
        this.users = users;
    }

    public User of(Authentication authentication) {
        return users.ensureUser(authentication.getName());
    }
}
