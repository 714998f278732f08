package io.tilemud.discord.relay;

import io.micronaut.context.ApplicationContext;
import io.tilemud.discord.DiscordSettings;
import io.tilemud.ops.metrics.MetricsFlush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The relay as a process of its own (the Fargate task in AWS): the application context from the environment (the
 * same keys the functions read, plus {@code TILEMUD_DISCORD_BOT_TOKEN}), then the relay loop until SIGTERM. Without
 * a bot token it refuses to start: a relay without Discord has nothing to do.
 */
public final class DiscordRelayApp {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordRelayApp.class);

    private DiscordRelayApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = ApplicationContext.run();
        if (context.findBean(RelayRunner.class).isEmpty()) {
            LOG.error("no Discord bot token configured ({}): the relay has nothing to do", DiscordSettings.ENABLED_PROPERTY);
            context.close();
            System.exit(2);
            return;
        }
        RelayRunner runner = context.getBean(RelayRunner.class);
        // The relay's meters leave as EMF log lines like the functions' (same names and dimensions, so the CDK
        // alarm on the gateway alerts reads what is written; the awslogs driver ships stdout to CloudWatch Logs).
        // A Lambda flushes at the end of each invocation; a process that never ends flushes every minute.
        MetricsFlush metrics = context.getBean(MetricsFlush.class);
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("metrics-flush").daemon().factory());
        flusher.scheduleWithFixedDelay(metrics::flush, 60, 60, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // ECS sends SIGTERM and waits stopTimeout: let go of the leader lock so the next task takes over at once.
            runner.close();
            flusher.shutdownNow();
            metrics.flush();
            context.close();
            stopped.countDown();
        }, "discord-relay-stop"));
        runner.start();
        LOG.info("discord relay started");
        stopped.await();
    }
}
