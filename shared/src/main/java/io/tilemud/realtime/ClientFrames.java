package io.tilemud.realtime;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON shape of each client frame (specs/asyncapi.yaml), decoded by micronaut-serde with the strict scalars of
 * {@link io.tilemud.input.StrictScalars}: an integer field takes a JSON integer in range or the frame is refused,
 * a text field a JSON string PostgreSQL can store. The rules about values (seq ≥ 1, chat length, one-tile moves)
 * are {@link ClientFrameParser}'s and the database's ({@code tilemud_apply_intent}, V23).
 */
final class ClientFrames {
    private ClientFrames() {
    }

    @Serdeable
    record Move(@Nullable Long seq, @Nullable Integer dx, @Nullable Integer dy) {
    }

    @Serdeable
    record Chat(@Nullable Long seq, @Nullable String text) {
    }

    /** {@code args} stays a tree: its values are free-form, only their text is checked. */
    @Serdeable
    record Action(@Nullable Long seq, @Nullable String kind, @Nullable JsonNode args) {
    }

    @Serdeable
    record RoomChat(@Nullable String text) {
    }

    @Serdeable
    record RoomReact(@Nullable String messageId, @Nullable String emoji) {
    }

    @Serdeable
    record RoomTyping() {
    }

    @Serdeable
    record RoomResume(@Nullable Long roomSeq, @Nullable java.util.UUID roomId) {
    }

    @Serdeable
    record Resume(@Nullable Long lastSeq) {
    }
}
