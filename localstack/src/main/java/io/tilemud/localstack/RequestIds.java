package io.tilemud.localstack;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * API Gateway's request and message ids, for both emulators: unique labels for logs and support, not secrets. Random
 * version-4 UUIDs from {@link ThreadLocalRandom}: {@link UUID#randomUUID()} reads the kernel's entropy through a
 * lock-guarded {@code SecureRandom}, 11 % of the HTTP emulator's own samples under admission load (issue 15), and the
 * WebSocket emulator drew ~8 per move (a frame's request and message ids, one per management API answer).
 */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
