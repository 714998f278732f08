package io.tilemud.functions.janitor;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.tilemud.config.LambdaContexts;
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
    // Resolved in the constructor: in a Lambda that is the init phase, not the first scheduled run.
    private final QueueJanitor queues;
    private final RealtimeJanitor realtime;
    private final RoomJanitor rooms;

    /** Lambda: builds its own application context. */
    public JanitorHandler() {
        super();
        this.queues = getApplicationContext().getBean(QueueJanitor.class);
        this.realtime = getApplicationContext().getBean(RealtimeJanitor.class);
        this.rooms = getApplicationContext().getBean(RoomJanitor.class);
    }

    /** Local stack and tests: shares the HTTP function's context. */
    public JanitorHandler(ApplicationContext context) {
        super(context);
        this.queues = context.getBean(QueueJanitor.class);
        this.realtime = context.getBean(RealtimeJanitor.class);
        this.rooms = context.getBean(RoomJanitor.class);
    }

    /** The no-argument constructor's context (in a Lambda): only this handler's beans, see {@link LambdaContexts}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContexts.builder();
    }

    @Override
    public Void execute(ScheduledEvent event) {
        queues.sweepAll();
        realtime.sweepAll();
        rooms.sweep();
        return null;
    }
}
