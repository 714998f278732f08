package io.tilemud.discord.relay;

import io.micronaut.context.annotation.Requires;
import io.tilemud.discord.DiscordSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drains the Discord outbox (DSC-01): each round reads the oldest pending commands, groups them by room and works
 * on up to {@link RelaySettings#workers()} rooms at once; within a room the commands run in queue order, one after
 * the other, so a room's channel exists before its first member gets the role and is deleted after its last line.
 * A room waiting out a rate limit or a retry holds only its own worker. Only the leader calls this.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class DiscordRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordRelay.class);
    private final JdbcCommandQueue queue;
    private final CommandExecutor executor;
    private final RelaySettings settings;
    private final ExecutorService workers;

    public DiscordRelay(JdbcCommandQueue queue, CommandExecutor executor, RelaySettings settings) {
        this.queue = queue;
        this.executor = executor;
        this.settings = settings;
        this.workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "discord-relay-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** One round. @return commands finished (done or failed for good) */
    public int drainOnce() throws InterruptedException {
        List<Command> pending = queue.pending(settings.batchSize());
        if (pending.isEmpty()) {
            return 0;
        }
        Map<UUID, List<Command>> byRoom = new LinkedHashMap<>();
        for (Command command : pending) {
            byRoom.computeIfAbsent(command.roomId(), r -> new ArrayList<>()).add(command);
        }
        List<Future<Integer>> rounds = new ArrayList<>();
        for (List<Command> room : byRoom.values()) {
            rounds.add(workers.submit(() -> {
                int finished = 0;
                for (Command command : room) {
                    executor.execute(command);
                    finished++;
                }
                return finished;
            }));
        }
        int finished = 0;
        for (Future<Integer> round : rounds) {
            try {
                finished += round.get();
            } catch (ExecutionException e) {
                // The database failed under a command: it stays pending and the next round takes it again.
                LOG.error("discord relay round failed", e.getCause());
            }
        }
        return finished;
    }

    @Override
    @PreDestroy
    public void close() {
        workers.shutdownNow();
    }
}
