package io.tilemud.localstack.http;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One function's Lambda execution environments: each runs one invocation at a time on a thread of its own and is
 * reused while warm, as Lambda reuses a container's handler thread. Named, as that thread is: on an unnamed virtual
 * thread Logback looks up every event's thread name by reflection. A thread per invocation would rebuild every
 * per-thread cache (Logback's encoders, Hikari's connection affinity) on each request, a cost no warm Lambda pays.
 * The threads are virtual: where each Lambda environment has a CPU of its own, here every busy environment shares
 * the laptop's few cores, and blocking on JDBC or Redis should cost a park, not a kernel context switch.
 * When all {@code concurrency} environments are busy, an invocation is throttled at once rather than queued, as
 * Lambda throttles past its concurrency limit: nothing of it runs.
 */
final class ExecutionEnvironments implements AutoCloseable {
    private final ThreadPoolExecutor environments;

    /**
     * @param threadPrefix names the environments' threads ({@code prefix0}, {@code prefix1}, …)
     * @param concurrency  at most this many invocations at once (Lambda's account default is 1,000)
     * @param idle         an environment unused this long is reclaimed
     */
    ExecutionEnvironments(String threadPrefix, int concurrency, Duration idle) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        // No queue: a SynchronousQueue hands the invocation to an idle environment or, with none idle, a new one up
        // to the limit; past it, execute() refuses.
        this.environments = new ThreadPoolExecutor(0, concurrency, idle.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), Thread.ofVirtual().name(threadPrefix, 0).factory());
    }

    /** @return false if the invocation was throttled (every environment busy): it was not run and never will be */
    boolean invoke(Runnable invocation) {
        try {
            environments.execute(invocation);
            return true;
        } catch (RejectedExecutionException throttled) {
            return false;
        }
    }

    @Override
    public void close() {
        environments.shutdown();
    }
}
