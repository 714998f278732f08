package io.tilemud.infra;

import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Read-only view of a synthesized template that follows references: route → integration → alias → function, and
 * IAM policy → role → function. Functions are identified by their {@link FunctionId#TAG} tag.
 */
@SuppressWarnings("unchecked")
final class TemplateIndex {
    private final Template template;
    private final Path assemblyDir;
    private final Map<String, Object> json;
    private final Map<String, Map<String, Object>> resources;

    /** @param assemblyDir the cloud assembly the template was synthesized into (staged assets live there) */
    TemplateIndex(Template template, Path assemblyDir) {
        this.template = template;
        this.assemblyDir = assemblyDir;
        this.json = template.toJSON();
        this.resources = (Map<String, Map<String, Object>>) json.get("Resources");
    }

    Template template() {
        return template;
    }

    /** A file asset as staged for deployment: {@code asset.<hash>/} in the assembly, for {@code <hash>.zip}. */
    Path stagedAsset(String zipObjectKey) {
        return assemblyDir.resolve("asset." + zipObjectKey.replaceFirst("\\.zip$", ""));
    }

    Map<String, Object> outputs() {
        return (Map<String, Object>) json.getOrDefault("Outputs", Map.of());
    }

    Map<String, Map<String, Object>> ofType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                found.put(id, resource);
            }
        });
        return found;
    }

    Map<String, Object> resource(String logicalId) {
        return resources.get(logicalId);
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** Our functions by id; resources without the tag (none expected) are left out. */
    Map<FunctionId, String> functions() {
        Map<FunctionId, String> byId = new HashMap<>();
        ofType("AWS::Lambda::Function").forEach((logicalId, resource) -> {
            var tags = (List<Map<String, Object>>) properties(resource).getOrDefault("Tags", List.of());
            tags.stream().filter(tag -> FunctionId.TAG.equals(tag.get("Key"))).findFirst().ifPresent(tag -> {
                for (FunctionId id : FunctionId.values()) {
                    if (id.key().equals(tag.get("Value"))) {
                        byId.put(id, logicalId);
                    }
                }
            });
        });
        return byId;
    }

    /**
     * Lambda functions CDK adds to serve custom resources of the given types (e.g. the web client's
     * {@code Custom::CDKBucketDeployment}): the targets of those resources' {@code ServiceToken}.
     */
    Set<String> customResourceHandlers(String... customResourceTypes) {
        Set<String> handlers = new HashSet<>();
        for (String type : customResourceTypes) {
            ofType(type).values().forEach(resource ->
                    handlers.addAll(refs(properties(resource).get("ServiceToken"))));
        }
        return handlers;
    }

    Map<String, Object> functionProperties(FunctionId id) {
        return properties(resource(functions().get(id)));
    }

    FunctionId functionByLogicalId(String logicalId) {
        return functions().entrySet().stream().filter(e -> e.getValue().equals(logicalId)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError(logicalId + " is not a tagged TileMUD function"));
    }

    /** The function an alias points to. */
    FunctionId functionOfAlias(String aliasLogicalId) {
        var alias = resource(aliasLogicalId);
        if (alias == null || !"AWS::Lambda::Alias".equals(alias.get("Type"))) {
            throw new AssertionError(aliasLogicalId + " is not an alias");
        }
        return functionByLogicalId(single(refs(properties(alias).get("FunctionName"))));
    }

    /** Which function an API integration or authorizer invokes, asserting it goes through an alias. */
    FunctionId invokedFunction(Object uri) {
        Set<String> targets = refs(uri);
        Set<String> aliases = targets.stream().filter(ref -> isType(ref, "AWS::Lambda::Alias"))
                .collect(Collectors.toSet());
        if (aliases.size() != 1 || targets.stream().anyMatch(ref -> isType(ref, "AWS::Lambda::Function"))) {
            throw new AssertionError("expected exactly one alias (and no unqualified function) in " + uri);
        }
        return functionOfAlias(single(aliases));
    }

    String apiLogicalId(String protocolType) {
        return single(ofType("AWS::ApiGatewayV2::Api").entrySet().stream()
                .filter(e -> protocolType.equals(properties(e.getValue()).get("ProtocolType")))
                .map(Map.Entry::getKey).collect(Collectors.toSet()));
    }

    /** Route resources of one API, by route key. */
    Map<String, Map<String, Object>> routes(String apiLogicalId) {
        Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
        ofType("AWS::ApiGatewayV2::Route").values().forEach(route -> {
            Map<String, Object> props = properties(route);
            if (refs(props.get("ApiId")).contains(apiLogicalId)) {
                byKey.put((String) props.get("RouteKey"), props);
            }
        });
        return byKey;
    }

    /** Route key → the function its integration invokes. */
    Map<String, FunctionId> routeTargets(String apiLogicalId) {
        Map<String, FunctionId> targets = new LinkedHashMap<>();
        routes(apiLogicalId).forEach((key, props) -> {
            String integrationId = single(refs(props.get("Target")));
            targets.put(key, invokedFunction(properties(resource(integrationId)).get("IntegrationUri")));
        });
        return targets;
    }

    /** Every IAM statement attached to each function's execution role. */
    Map<FunctionId, List<Map<String, Object>>> statementsByFunction() {
        Map<String, FunctionId> roleToFunction = new HashMap<>();
        functions().forEach((id, logicalId) ->
                roleToFunction.put(single(refs(functionProperties(id).get("Role"))), id));
        Map<FunctionId, List<Map<String, Object>>> statements = new HashMap<>();
        ofType("AWS::IAM::Policy").values().forEach(policy -> {
            Map<String, Object> props = properties(policy);
            for (String role : refs(props.get("Roles"))) {
                FunctionId id = roleToFunction.get(role);
                if (id != null) {
                    statements.computeIfAbsent(id, k -> new ArrayList<>()).addAll(statements(props));
                }
            }
        });
        return statements;
    }

    static List<Map<String, Object>> statements(Map<String, Object> policyProperties) {
        var document = (Map<String, Object>) policyProperties.get("PolicyDocument");
        return (List<Map<String, Object>>) document.get("Statement");
    }

    /** A statement's Action as a list, whether the template holds a string or an array. */
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    boolean isType(String logicalId, String type) {
        var resource = resources.get(logicalId);
        return resource != null && type.equals(resource.get("Type"));
    }

    /** Logical ids referenced by Ref or Fn::GetAtt anywhere inside a template fragment. */
    static Set<String> refs(Object fragment) {
        Set<String> found = new HashSet<>();
        collectRefs(fragment, found);
        return found;
    }

    private static void collectRefs(Object fragment, Set<String> found) {
        if (fragment instanceof Map<?, ?> map) {
            if (map.get("Ref") instanceof String ref && !ref.startsWith("AWS::")) {
                found.add(ref);
            }
            if (map.get("Fn::GetAtt") instanceof List<?> getAtt) {
                found.add((String) getAtt.getFirst());
            }
            map.values().forEach(value -> collectRefs(value, found));
        } else if (fragment instanceof List<?> list) {
            list.forEach(value -> collectRefs(value, found));
        }
    }

    static <T> T single(Set<T> values) {
        if (values.size() != 1) {
            throw new AssertionError("expected exactly one, got " + values);
        }
        return values.iterator().next();
    }
}
