package io.tilemud.instance;

import jakarta.inject.Singleton;

import java.util.Optional;

/** Operator view of instances (ADM-21). */
@Singleton
public class InstanceService {
    /** A new instance's world size when the operator gives none. */
    public static final int DEFAULT_WORLD_SIZE = 64;

    private final InstanceRepository instances;

    public InstanceService(InstanceRepository instances) {
        this.instances = instances;
    }

    public GameInstance upsert(String id, int capacity, String build, InstanceState state) {
        instances.upsert(id, capacity, build, state.name(), DEFAULT_WORLD_SIZE, DEFAULT_WORLD_SIZE);
        return instances.findById(id).orElseThrow();
    }

    public Optional<GameInstance> find(String id) {
        return InstanceId.isValid(id) ? instances.findById(id) : Optional.empty();
    }
}
