package io.tilemud.functions.ops;

import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code GET /version} (OPS-01). */
@Serdeable
public record VersionInfo(String build, int protocol) {
}
