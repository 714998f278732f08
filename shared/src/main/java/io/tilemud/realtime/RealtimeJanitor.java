package io.tilemud.realtime;

import io.tilemud.instance.GameInstance;
import io.tilemud.instance.InstanceRepository;
import io.tilemud.ops.metrics.RealtimeMetrics;
import jakarta.inject.Singleton;

/**
 * The realtime part of the scheduled janitor: clients left on an old build are told and disconnected (RT-10), and
 * connections idle for the inactivity period lose their session (RT-09).
 */
@Singleton
public class RealtimeJanitor {
    private final InstanceRepository instances;
    private final RealtimeService realtime;

    private final RealtimeMetrics metrics;

    public RealtimeJanitor(InstanceRepository instances, RealtimeService realtime, RealtimeMetrics metrics) {
        this.instances = instances;
        this.realtime = realtime;
        this.metrics = metrics;
    }

    /** @return connections closed, for an outdated build or for inactivity */
    public int sweepAll() {
        int closed = 0;
        for (GameInstance instance : instances.findAll()) {
            int outdated = realtime.disconnectOutdated(instance);
            metrics.forcedRefreshes(instance.id(), outdated);
            closed += outdated;
            closed += realtime.endInactive(instance);
        }
        return closed;
    }
}
