package io.tilemud.discord.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** What a Discord REST call came to after its retries. A "no" from Discord is a value, not an exception. */
public sealed interface RestOutcome {

    /** @param body the answer's JSON, a missing node for 204 (or for a 404 that means "already gone") */
    record Ok(int status, JsonNode body) implements RestOutcome {
        public Ok {
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * @param status   the last HTTP status, 0 when Discord could not be reached
     * @param attempts requests made (1 for a refusal that retrying cannot fix, up to 1 + maxRetries)
     */
    record Failed(int status, String reason, int attempts) implements RestOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
