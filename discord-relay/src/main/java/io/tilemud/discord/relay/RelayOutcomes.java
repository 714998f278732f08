package io.tilemud.discord.relay;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.tilemud.discord.rest.RestOutcome;

/** Outcomes of commands that needed no call (nothing left to delete, nothing to take away). */
final class RelayOutcomes {
    private RelayOutcomes() {
    }

    static RestOutcome nothingToDo() {
        return new RestOutcome.Ok(204, MissingNode.getInstance());
    }
}
