package io.tilemud.admission;

import io.tilemud.crypto.Sha256;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Unguessable tokens (reconnection, replace) and ids; injected so tests could make them predictable. Thread-safe.
 *
 * <p>Tokens are handed to the client in clear and kept by the server only as their SHA-256 digest
 * ({@link #digest}): whoever reads the cache (a snapshot, a replica, an operator's {@code MONITOR}) learns nothing
 * that lets them take a session over. SHA-256 without salt is enough here because the tokens are 256 random bits,
 * not passwords: there is nothing to guess from a dictionary.
 */
@Singleton
public class TokenGenerator {
    private final SecureRandom random = new SecureRandom();
    private final Sha256 sha256 = new Sha256();

    /** A fresh token: the clear value for the client, its digest for storage. */
    public record Minted(String clear, String digest) {
        @Override
        public String toString() {
            return "Minted[redacted]";
        }
    }

    /** 256 random bits, URL-safe Base64 without padding. */
    public String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Minted mint() {
        String clear = token();
        return new Minted(clear, digest(clear));
    }

    /** The stored form of a presented token; {@code ""} for none (null or empty), so "no token" never matches one. */
    public String digest(String clear) {
        if (clear == null || clear.isEmpty()) {
            return "";
        }
        byte[] hash = sha256.hash(clear.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    public String id() {
        return UUID.randomUUID().toString();
    }
}
