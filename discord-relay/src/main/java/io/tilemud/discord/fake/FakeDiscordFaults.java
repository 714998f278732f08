package io.tilemud.discord.fake;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Scripted REST faults of the fake Discord, consumed in order by the requests they match. Thread-safe.
 */
public final class FakeDiscordFaults {
    /** What the fake answers instead of serving the request. */
    public enum Kind { BUCKET_429, GLOBAL_429, SERVER_ERROR }

    /**
     * @param pathContains         requests whose path (below /api/v10) contains this; empty for any
     * @param bodyRetryAfterSeconds the 429 body's {@code retry_after}
     * @param headerRetryAfterSeconds the 429 {@code Retry-After} header
     * @param status               the 5xx status for {@link Kind#SERVER_ERROR}
     */
    public record Fault(Kind kind, String pathContains, double bodyRetryAfterSeconds, double headerRetryAfterSeconds,
                        int status) {
    }

    private final List<Fault> queued = new ArrayList<>();

    /** The next {@code times} matching requests get a per-route 429 with these two retry-afters. */
    public synchronized FakeDiscordFaults bucket429(String pathContains, double bodyRetryAfter, double headerRetryAfter, int times) {
        for (int i = 0; i < times; i++) {
            queued.add(new Fault(Kind.BUCKET_429, pathContains, bodyRetryAfter, headerRetryAfter, 429));
        }
        return this;
    }

    /** The next {@code times} requests (any route) get a global 429. */
    public synchronized FakeDiscordFaults global429(double bodyRetryAfter, double headerRetryAfter, int times) {
        for (int i = 0; i < times; i++) {
            queued.add(new Fault(Kind.GLOBAL_429, "", bodyRetryAfter, headerRetryAfter, 429));
        }
        return this;
    }

    /** A burst: the next {@code times} matching requests answer {@code status} (500, 502, 503…). */
    public synchronized FakeDiscordFaults serverErrors(String pathContains, int status, int times) {
        for (int i = 0; i < times; i++) {
            queued.add(new Fault(Kind.SERVER_ERROR, pathContains, 0, 0, status));
        }
        return this;
    }

    public synchronized void clear() {
        queued.clear();
    }

    public synchronized int pending() {
        return queued.size();
    }

    synchronized Optional<Fault> take(String path) {
        for (Iterator<Fault> it = queued.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (path.contains(fault.pathContains())) {
                it.remove();
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }
}
