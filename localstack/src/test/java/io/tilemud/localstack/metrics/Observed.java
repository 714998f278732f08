package io.tilemud.localstack.metrics;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One metric of one EMF document: namespace, name, unit, dimensions (key → value) and its values. */
record Observed(String namespace, String name, String unit, Map<String, String> dimensions, List<Double> values) {

    static List<Observed> of(List<JsonNode> documents) {
        List<Observed> out = new ArrayList<>();
        for (JsonNode doc : documents) {
            for (JsonNode directive : doc.path("_aws").path("CloudWatchMetrics")) {
                Map<String, String> dimensions = new TreeMap<>();
                for (JsonNode set : directive.path("Dimensions")) {
                    for (JsonNode key : set) {
                        dimensions.put(key.asText(), doc.path(key.asText()).asText());
                    }
                }
                for (JsonNode metric : directive.path("Metrics")) {
                    String name = metric.path("Name").asText();
                    List<Double> values = new ArrayList<>();
                    JsonNode value = doc.path(name);
                    if (value.isArray()) {
                        value.forEach(v -> values.add(v.asDouble()));
                    } else {
                        values.add(value.asDouble());
                    }
                    out.add(new Observed(directive.path("Namespace").asText(), name, metric.path("Unit").asText(),
                            dimensions, values));
                }
            }
        }
        return out;
    }
}
