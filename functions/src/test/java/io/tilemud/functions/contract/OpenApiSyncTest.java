package io.tilemud.functions.contract;

import io.micronaut.web.router.Router;
import io.tilemud.functions.support.HttpFunction;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** specs/openapi.yaml documents exactly the routes the functions serve: no more, no fewer. */
class OpenApiSyncTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void openApi_everyServedRoute_documentedAndNothingElse() throws IOException {
        // GIVEN the contract
        Map<String, Object> spec;
        try (Reader reader = Files.newBufferedReader(Path.of("..", "specs", "openapi.yaml"))) {
            spec = new Yaml().load(reader);
        }
        Set<String> documented = new TreeSet<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) spec.get("paths");
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(HTTP_METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        // WHEN we ask the running handler's router what it serves
        Set<String> served = new TreeSet<>();
        // (HEAD is answered by Micronaut for every GET; it is not a route of ours.)
        HttpFunction.shared().bean(Router.class).uriRoutes()
                .filter(route -> !route.getHttpMethodName().equals("HEAD"))
                .forEach(route -> served.add(route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString()));
        // THEN
        assertEquals(served, documented);
    }
}
