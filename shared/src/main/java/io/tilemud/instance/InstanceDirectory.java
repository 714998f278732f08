package io.tilemud.instance;

import io.tilemud.admission.RedisAdmissionLedger;
import io.tilemud.session.CacheUnavailableException;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The instances a player can pick from (WEB-02), with how full each is. Every instance is listed whatever its state,
 * so a client can say "in maintenance" instead of hiding it; {@code STOPPED} ones are left out (they do not exist
 * for players, ADM-05). While Redis is down the list still comes from PostgreSQL, without occupancy.
 */
@Singleton
public class InstanceDirectory {
    private final InstanceRepository instances;
    private final RedisAdmissionLedger ledger;

    public InstanceDirectory(InstanceRepository instances, RedisAdmissionLedger ledger) {
        this.instances = instances;
        this.ledger = ledger;
    }

    public List<InstanceSummary> list() {
        List<InstanceSummary> list = new ArrayList<>();
        boolean cacheUp = true;
        for (GameInstance instance : instances.findAll()) {
            if (instance.state() == InstanceState.STOPPED) {
                continue;
            }
            Long occupancy = null;
            Long queueDepth = null;
            if (cacheUp) {
                try {
                    RedisAdmissionLedger.Load load = ledger.load(instance.id());
                    occupancy = load.occupied();
                    queueDepth = load.queued();
                } catch (CacheUnavailableException e) {
                    cacheUp = false; // one failed read is enough to know: do not wait on it per instance
                }
            }
            list.add(new InstanceSummary(instance.id(), instance.state(), instance.build(), instance.capacity(),
                    occupancy, queueDepth));
        }
        list.sort(Comparator.comparing(InstanceSummary::id));
        return list;
    }
}
