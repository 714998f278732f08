package io.tilemud.queue;

import io.tilemud.admission.AdmissionMetrics;
import io.tilemud.admission.RedisAdmissionLedger;
import io.tilemud.instance.GameInstance;
import io.tilemud.instance.InstanceRepository;
import io.tilemud.instance.InstanceState;
import io.tilemud.session.CacheUnavailableException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The janitor's admission work, per instance, in one atomic step each: expire grace and stale pending sessions,
 * drop abandoned queue entries, promote queue heads into free slots, and refresh the stored capacity and the
 * depth/peak/slot gauges. Every read already expires lazily; the janitor makes promotion happen even when nobody
 * calls. Thread-safe.
 */
@Singleton
public class QueueJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(QueueJanitor.class);

    private final InstanceRepository instances;
    private final RedisAdmissionLedger ledger;
    private final AdmissionMetrics metrics;

    public QueueJanitor(InstanceRepository instances, RedisAdmissionLedger ledger, AdmissionMetrics metrics) {
        this.instances = instances;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** Sweeps every instance; returns how many were swept (0 when the cache is down: the next run catches up). */
    public int sweepAll() {
        int swept = 0;
        for (GameInstance instance : instances.findAll()) {
            try {
                sweep(instance);
                swept++;
            } catch (CacheUnavailableException e) {
                LOG.warn("janitor: cache unavailable, sweep skipped");
                return swept;
            }
        }
        return swept;
    }

    public void sweep(GameInstance instance) {
        // Maintenance and stopped instances admit nobody, so nobody is promoted into them either.
        boolean admitting = instance.state() == InstanceState.ACCEPTING || instance.state() == InstanceState.DRAINING;
        List<String> r = ledger.release(instance.id(), admitting ? instance.capacity() : 0, null, "janitor", null);
        metrics.queue(instance.id(), Long.parseLong(r.get(1)), Long.parseLong(r.get(2)));
        metrics.slots(instance.id(), Long.parseLong(r.get(3)));
    }
}
