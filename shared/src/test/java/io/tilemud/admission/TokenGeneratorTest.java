package io.tilemud.admission;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TokenGeneratorTest {
    private final TokenGenerator tokens = new TokenGenerator();

    @Test
    void digest_isUnpaddedUrlSafeBase64OfSha256() {
        // Reference values: Python's hashlib.sha256 + base64.urlsafe_b64encode, padding stripped.
        assertEquals("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", tokens.digest("abc"));
        assertEquals("WiWoThpIFk9i6KVXkvqmausLx6khuVLZhAOjLd9Id7I", tokens.digest("ä-token"));
    }

    @Test
    void digest_noTokenIsEmptySoItNeverMatchesOne() {
        assertEquals("", tokens.digest(null));
        assertEquals("", tokens.digest(""));
    }

    /** Every digest starts from one shared, never-updated prototype: concurrent callers must not see each other. */
    @Test
    void digest_manyThreadsAtOnce_eachGetsItsOwnValue() throws Exception {
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 5_000; i++) {
                    String value = i % 2 == 0 ? "abc" : "ä-token";
                    String expected = i % 2 == 0 ? "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
                            : "WiWoThpIFk9i6KVXkvqmausLx6khuVLZhAOjLd9Id7I";
                    if (!expected.equals(tokens.digest(value))) {
                        wrong.add(value);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), List.copyOf(wrong));
    }

    @Test
    void mint_digestIsTheDigestOfTheClearValue() {
        TokenGenerator.Minted minted = tokens.mint();

        assertEquals(tokens.digest(minted.clear()), minted.digest());
        assertEquals(43, minted.clear().length()); // 256 bits, unpadded Base64
        assertNotEquals(minted.clear(), tokens.mint().clear());
    }
}
