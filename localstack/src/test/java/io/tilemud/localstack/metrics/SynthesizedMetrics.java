package io.tilemud.localstack.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.contract.MetricNames;
import io.tilemud.infra.LambdaArtifacts;
import io.tilemud.infra.StackSettings;
import io.tilemud.infra.TileMudStack;
import io.tilemud.infra.WebClientFiles;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TileMUD metrics the synthesized stack reads: in every alarm (plain metric or metric math) and in every
 * dashboard widget (its body is a JSON string with tokens). Metrics Insights queries name a metric and a dimension
 * key set ({@code FROM SCHEMA(ns, key, …)}).
 */
record SynthesizedMetrics(List<Plain> plain, List<Query> queries, List<String> alarmNames) {
    private static final Pattern QUERY = Pattern.compile(
            "SELECT \\w+\\(\"([^\"]+)\"\\) FROM (SCHEMA\\(\"([^\"]+)\"((?:, ?\\w+)*)\\)|\"([^\"]+)\")");

    record Plain(String where, String name, Map<String, String> dimensions) {
    }

    record Query(String where, String namespace, String name, Set<String> dimensions) {
    }

    static SynthesizedMetrics ofDefaultStack() {
        Path out;
        try {
            out = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cdk-test")), "synth-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The repository root is the parent of this module: the real jars of the build and the web client.
        App app = new App(AppProps.builder().context(Map.of("repoRoot", "..")).outdir(out.toString()).build());
        StackSettings settings = StackSettings.fromContext(app.getNode()::tryGetContext);
        TileMudStack stack = new TileMudStack(app, settings.stackName(), StackProps.builder().build(), settings,
                LambdaArtifacts.locate(settings), WebClientFiles.locate(settings));
        JsonNode template = ScriptedPlay.JSON.valueToTree(Template.fromStack(stack).toJSON());
        List<Plain> plain = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        List<String> alarms = new ArrayList<>();
        template.path("Resources").properties().forEach(entry -> {
            JsonNode resource = entry.getValue();
            JsonNode props = resource.path("Properties");
            switch (resource.path("Type").asText()) {
                case "AWS::CloudWatch::Alarm" -> {
                    String where = "alarm " + props.path("AlarmName").asText(entry.getKey());
                    alarms.add(props.path("AlarmName").asText());
                    alarmMetric(where, props, plain);
                    for (JsonNode m : props.path("Metrics")) {
                        if (m.has("MetricStat")) {
                            alarmMetric(where, m.path("MetricStat").path("Metric"), plain);
                        }
                        if (m.has("Expression")) {
                            query(where, m.path("Expression").asText(), queries);
                        }
                    }
                }
                case "AWS::CloudWatch::Dashboard" -> dashboard(props.path("DashboardBody"), plain, queries);
                default -> {
                }
            }
        });
        return new SynthesizedMetrics(plain, queries, alarms);
    }

    private static void alarmMetric(String where, JsonNode metric, List<Plain> out) {
        if (!MetricNames.NAMESPACE.equals(metric.path("Namespace").asText())) {
            return;
        }
        Map<String, String> dimensions = new TreeMap<>();
        for (JsonNode d : metric.path("Dimensions")) {
            dimensions.put(d.path("Name").asText(), d.path("Value").asText());
        }
        out.add(new Plain(where, metric.path("MetricName").asText(), dimensions));
    }

    private static void query(String where, String expression, List<Query> out) {
        Matcher m = QUERY.matcher(expression);
        while (m.find()) {
            Set<String> keys = new LinkedHashSet<>();
            if (m.group(4) != null) {
                for (String key : m.group(4).split(",")) {
                    if (!key.isBlank()) {
                        keys.add(key.strip());
                    }
                }
            }
            // A bare FROM "namespace" spans every dimension set; recorded with no keys, so the test refuses it
            // unless the metric really is written without dimensions.
            out.add(new Query(where, m.group(3) != null ? m.group(3) : m.group(5), m.group(1), keys));
        }
    }

    /** {"Fn::Join": ["", [text, {Ref…}, text…]]}: tokens become a placeholder, the rest is the dashboard JSON. */
    private static void dashboard(JsonNode body, List<Plain> plain, List<Query> queries) {
        StringBuilder text = new StringBuilder();
        if (body.isTextual()) {
            text.append(body.asText());
        } else {
            for (JsonNode part : body.path("Fn::Join").get(1)) {
                text.append(part.isTextual() ? part.asText() : "TOKEN");
            }
        }
        JsonNode json;
        try {
            json = ScriptedPlay.JSON.readTree(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode widget : json.path("widgets")) {
            String where = "widget \"" + widget.path("properties").path("title").asText() + "\"";
            for (JsonNode line : widget.path("properties").path("metrics")) {
                JsonNode first = line.get(0);
                if (first.isObject() && first.has("expression")) {
                    query(where, first.get("expression").asText(), queries);
                    continue;
                }
                if (!MetricNames.NAMESPACE.equals(first.asText())) {
                    continue;
                }
                Map<String, String> dimensions = new TreeMap<>();
                int i = 2;
                for (; i + 1 < line.size() && line.get(i).isTextual(); i += 2) {
                    dimensions.put(line.get(i).asText(), line.get(i + 1).asText());
                }
                plain.add(new Plain(where, line.get(1).asText(), dimensions));
            }
        }
    }
}
