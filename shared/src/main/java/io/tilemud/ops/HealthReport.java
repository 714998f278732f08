package io.tilemud.ops;

import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code GET /health} (OPS-01). */
@Serdeable
public record HealthReport(OverallStatus status, ComponentStatus db, ComponentStatus cache, ComponentStatus connections,
                           String build) {

    public static HealthReport of(ComponentStatus db, ComponentStatus cache, ComponentStatus connections, String build) {
        OverallStatus status = db == ComponentStatus.DOWN ? OverallStatus.DOWN
                : cache == ComponentStatus.DOWN || connections == ComponentStatus.DOWN ? OverallStatus.DEGRADED
                : OverallStatus.UP;
        return new HealthReport(status, db, cache, connections, build);
    }
}
