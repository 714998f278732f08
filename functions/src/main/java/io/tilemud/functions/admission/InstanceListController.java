package io.tilemud.functions.admission;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.instance.InstanceDirectory;
import io.tilemud.instance.InstanceState;
import io.tilemud.instance.InstanceSummary;

import java.util.List;

/** The instance picker (WEB-02): every signed-in player may read it; no admin role needed. */
@Controller("/instances")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class InstanceListController {
    private final InstanceDirectory directory;

    public InstanceListController(InstanceDirectory directory) {
        this.directory = directory;
    }

    /** {@code occupancy} and {@code queueDepth} are left out while the cache cannot tell them. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceEntry(String id, InstanceState state, String build, int capacity, @Nullable Long occupancy,
                                @Nullable Long queueDepth) {
        static InstanceEntry of(InstanceSummary s) {
            return new InstanceEntry(s.id(), s.state(), s.build(), s.capacity(), s.occupancy(), s.queueDepth());
        }
    }

    @Get
    public HttpResponse<List<InstanceEntry>> list() {
        // Occupancy changes by the second: never let a cache serve yesterday's numbers.
        return HttpResponse.ok(directory.list().stream().map(InstanceEntry::of).toList())
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
