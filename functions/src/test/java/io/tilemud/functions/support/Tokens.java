package io.tilemud.functions.support;

import io.tilemud.embedded.DevIdentityProvider;
import io.tilemud.embedded.testing.SharedTestInfra;

import java.util.UUID;

/** Tokens from the test identity provider, each for a fresh user so tests never share state. */
public final class Tokens {
    private Tokens() {
    }

    public static DevIdentityProvider idp() {
        return SharedTestInfra.get().identity();
    }

    public static String newPlayer() {
        return idp().mint("player-" + UUID.randomUUID(), false);
    }

    public static String forSubject(String subject) {
        return idp().mint(subject, false);
    }

    public static String newAdmin() {
        return idp().mint("admin-" + UUID.randomUUID(), true);
    }
}
