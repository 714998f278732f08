package io.tilemud.functions.janitor;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.tilemud.queue.QueueJanitor;
import io.tilemud.realtime.RealtimeJanitor;
import io.tilemud.rooms.RoomJanitor;

/**
 * The janitor Lambda (EventBridge schedule): grace expiry, stale pending sessions, abandoned queue entries,
 * promotions, queue depth/peak gauges — per instance, each an atomic script run ({@link QueueJanitor}) — and
 * clients left on an old build after a build change ({@link RealtimeJanitor}, RT-10), and idle rooms
 * ({@link RoomJanitor}, ROOM-04).
 * Admission reads already expire lazily; this makes promotions happen when no request arrives.
 */
public class JanitorHandler extends MicronautRequestHandler<ScheduledEvent, Void> {

    /** Lambda: builds its own application context. */
    public JanitorHandler() {
        super();
    }

    /** Local stack and tests: shares the HTTP function's context. */
    public JanitorHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public Void execute(ScheduledEvent event) {
        getApplicationContext().getBean(QueueJanitor.class).sweepAll();
        getApplicationContext().getBean(RealtimeJanitor.class).sweepAll();
        getApplicationContext().getBean(RoomJanitor.class).sweep();
        return null;
    }
}
