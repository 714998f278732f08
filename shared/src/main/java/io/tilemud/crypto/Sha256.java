package io.tilemud.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 from one prototype, cloned per use: {@code MessageDigest.getInstance} walks the provider list and
 * instantiates by reflection on every call, which showed in the fan-out profile (SigV4, each post) and the admission
 * profile (the verified-token cache key, each authenticated request). The prototype is never updated, so clones
 * taken concurrently are independent. Thread-safe.
 */
public final class Sha256 {
    private final MessageDigest prototype = newDigest();

    public byte[] hash(byte[] data) {
        try {
            return ((MessageDigest) prototype.clone()).digest(data);
        } catch (CloneNotSupportedException e) {
            return newDigest().digest(data);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
