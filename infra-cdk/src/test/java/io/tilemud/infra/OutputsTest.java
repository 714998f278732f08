package io.tilemud.infra;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputsTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();

    @Test
    void outputs_defaults_publishUrlsPoolAndTable() {
        // GIVEN the default settings (Cognito created by the stack)
        // WHEN reading the outputs
        Set<String> outputs = stack.outputs().keySet();

        // THEN everything a deployer needs to connect a client is there
        assertTrue(outputs.containsAll(Set.of("HttpApiUrl", "WebSocketUrl", "UserPoolId", "UserPoolClientId",
                "ConnectionsTableName", "WebClientUrl")), outputs.toString());
        assertTrue(stack.outputs().get("WebSocketUrl").toString().contains("wss://"));
        assertTrue(stack.outputs().get("WebClientUrl").toString().contains("/play/"));
    }
}
