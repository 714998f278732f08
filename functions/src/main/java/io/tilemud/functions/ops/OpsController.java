package io.tilemud.functions.ops;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.tilemud.config.TileMudSettings;
import io.tilemud.ops.HealthReport;
import io.tilemud.ops.HealthService;
import io.tilemud.ops.OverallStatus;

/** Health and version (OPS-01): public, no token, so load balancers and humans can ask. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class OpsController {
    private final HealthService health;
    private final TileMudSettings settings;

    public OpsController(HealthService health, TileMudSettings settings) {
        this.health = health;
        this.settings = settings;
    }

    /** 200 while the game can run (UP or DEGRADED), 503 when it cannot (DOWN). */
    @Get("/health")
    public HttpResponse<HealthReport> health() {
        HealthReport report = health.check();
        return HttpResponse.<HealthReport>status(report.status() == OverallStatus.DOWN
                ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(report);
    }

    @Get("/version")
    public VersionInfo version() {
        return new VersionInfo(settings.build(), settings.protocol());
    }
}
