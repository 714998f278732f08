package io.tilemud.functions.admin;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.tilemud.error.ErrorCode;
import io.tilemud.functions.web.ErrorResponses;
import io.tilemud.instance.GameInstance;
import io.tilemud.instance.InstanceId;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/** Operator API (ADM-21): only tokens carrying the admin role claim. */
@Controller("/admin/instances")
@Secured(AdminInstanceController.ADMIN_ROLE)
public class AdminInstanceController {
    public static final String ADMIN_ROLE = "admin";

    private final InstanceService instances;

    public AdminInstanceController(InstanceService instances) {
        this.instances = instances;
    }

    @Serdeable
    public record InstanceRequest(@NotNull @Min(1) @Max(100_000) Integer capacity,
                                  @NotBlank @Size(max = 64) String build,
                                  @NotNull InstanceState state) {
    }

    @Serdeable
    public record InstanceView(String id, int capacity, String build, InstanceState state, int width, int height,
                               Instant updatedAt) {
        static InstanceView of(GameInstance i) {
            return new InstanceView(i.id(), i.capacity(), i.build(), i.state(), i.width(), i.height(), i.updatedAt());
        }
    }

    @Put("/{id}")
    public HttpResponse<?> upsert(@PathVariable String id, @Valid @Body InstanceRequest request) {
        if (!InstanceId.isValid(id)) {
            return ErrorResponses.of(ErrorCode.INVALID_INSTANCE, "instance id must match ^[A-Za-z0-9_-]{1,64}$");
        }
        return HttpResponse.ok(InstanceView.of(instances.upsert(id, request.capacity(), request.build(), request.state())));
    }

    @Get("/{id}")
    public HttpResponse<?> get(@PathVariable String id) {
        return instances.find(id)
                .<HttpResponse<?>>map(i -> HttpResponse.ok(InstanceView.of(i)))
                .orElseGet(() -> ErrorResponses.of(ErrorCode.NOT_FOUND, "no such instance"));
    }
}
