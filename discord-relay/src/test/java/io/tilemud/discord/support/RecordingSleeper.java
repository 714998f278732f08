package io.tilemud.discord.support;

import io.tilemud.discord.rest.Sleeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every wait and advances the test clock by it instead of sleeping: waits are measured, not endured. */
public final class RecordingSleeper implements Sleeper {
    private final TestClock clock;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    public RecordingSleeper(TestClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }

    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    public Duration total() {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }

    public void reset() {
        waits.clear();
    }
}
