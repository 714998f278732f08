package io.tilemud.admission;

import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Unguessable tokens (reconnection, replace) and ids; injected so tests could make them predictable. Thread-safe. */
@Singleton
public class TokenGenerator {
    private final SecureRandom random = new SecureRandom();

    /** 256 random bits, URL-safe Base64 without padding. */
    public String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String id() {
        return UUID.randomUUID().toString();
    }
}
