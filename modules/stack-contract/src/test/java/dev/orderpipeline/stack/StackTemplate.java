package dev.orderpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * {@code template.yaml} as maps, with the SAM semantics the tests need: a function's effective properties are its
 * own merged over {@code Globals.Function} (maps merge key by key, everything else is replaced).
 */
final class StackTemplate {
    static final String FUNCTION = "AWS::Serverless::Function";
    static final String STATE_MACHINE = "AWS::Serverless::StateMachine";

    private final Map<String, Object> root;

    private StackTemplate(Map<String, Object> root) {
        this.root = root;
    }

    static StackTemplate load() {
        return new StackTemplate(CloudFormationYaml.read(RepoFiles.file(RepoFiles.TEMPLATE)));
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"), "the template's Resources section");
    }

    Map<String, Object> parameters() {
        Object parameters = root.get("Parameters");
        return parameters == null ? Map.of() : map(parameters, "the template's Parameters section");
    }

    boolean has(String logicalId) {
        return resources().containsKey(logicalId);
    }

    Map<String, Object> resource(String logicalId) {
        assertThat(resources()).as("template.yaml has no resource with logical ID %s", logicalId).containsKey(logicalId);
        return map(resources().get(logicalId), "resource " + logicalId);
    }

    String type(String logicalId) {
        return String.valueOf(resource(logicalId).get("Type"));
    }

    Map<String, Object> properties(String logicalId) {
        Object properties = resource(logicalId).get("Properties");
        return properties == null ? Map.of() : map(properties, "the Properties of " + logicalId);
    }

    /** Logical IDs of all resources of a type, in template order. */
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if (resource instanceof Map<?, ?> r && type.equals(r.get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** A function's properties as SAM sees them: Globals.Function merged under the resource's own properties. */
    Map<String, Object> effectiveFunctionProperties(String logicalId) {
        assertThat(type(logicalId)).as("%s should be an %s", logicalId, FUNCTION).isEqualTo(FUNCTION);
        Map<String, Object> globals = Map.of();
        if (root.get("Globals") instanceof Map<?, ?> g && g.get("Function") instanceof Map<?, ?> f) {
            globals = map(f, "Globals.Function");
        }
        return merge(globals, properties(logicalId));
    }

    /** Environment variables a function sets (Globals included). */
    Map<String, Object> environment(String functionId) {
        Object environment = effectiveFunctionProperties(functionId).get("Environment");
        if (!(environment instanceof Map<?, ?> env) || !(env.get("Variables") instanceof Map<?, ?> variables)) {
            return Map.of();
        }
        return map(variables, functionId + " Environment.Variables");
    }

    /** A function's events of one SAM event type (SQS, HttpApi, ...), by event name. */
    Map<String, Map<String, Object>> events(String functionId, String eventType) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        Object events = effectiveFunctionProperties(functionId).get("Events");
        if (events instanceof Map<?, ?> all) {
            all.forEach((name, event) -> {
                Map<String, Object> e = map(event, functionId + " event " + name);
                if (eventType.equals(e.get("Type"))) {
                    Object properties = e.get("Properties");
                    found.put(String.valueOf(name), properties == null ? Map.of() : map(properties, functionId + " event " + name + " Properties"));
                }
            });
        }
        return found;
    }

    /**
     * Resolves a value the way a deployment with default parameters would, for values the code parses: literals stay,
     * {@code Ref} to a parameter gives its default, anything else (resource references, Sub, GetAtt) gives a placeholder.
     */
    String resolveWithDefaults(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Ref")) {
            Object target = m.get("Ref");
            if (parameters().get(target) instanceof Map<?, ?> parameter) {
                return parameter.containsKey("Default") ? String.valueOf(parameter.get("Default")) : "";
            }
            return "placeholder-for-" + target;
        }
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
            return resolveWithDefaults(conditionWithDefaults(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return "placeholder-for-" + value.hashCode();
        }
        return Objects.toString(value, "");
    }

    /** A condition of {@code Conditions} (Fn::And, Fn::Or, Fn::Not, Fn::Equals, Condition) with the parameters' defaults. */
    boolean conditionWithDefaults(String name) {
        Object definition = root.get("Conditions") instanceof Map<?, ?> conditions ? conditions.get(name) : null;
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name + " in Conditions");
        }
        return evaluate(definition);
    }

    private boolean evaluate(Object condition) {
        if (!(condition instanceof Map<?, ?> m) || m.size() != 1) {
            throw new IllegalArgumentException("not a condition function: " + condition);
        }
        Map.Entry<?, ?> function = m.entrySet().iterator().next();
        List<?> args = function.getValue() instanceof List<?> l ? l : List.of(function.getValue());
        return switch (String.valueOf(function.getKey())) {
            case "Fn::And" -> args.stream().allMatch(this::evaluate);
            case "Fn::Or" -> args.stream().anyMatch(this::evaluate);
            case "Fn::Not" -> !evaluate(args.get(0));
            case "Fn::Equals" -> resolveWithDefaults(args.get(0)).equals(resolveWithDefaults(args.get(1)));
            case "Condition" -> conditionWithDefaults(String.valueOf(args.get(0)));
            default -> throw new IllegalArgumentException("unsupported condition function " + function.getKey());
        };
    }

    /** Walks every value in the template, with a readable path (Resources.X.Properties.Y[0]...). */
    void walk(BiConsumer<String, Object> visitor) {
        walk("", root, visitor);
    }

    /** Walks a value and everything inside it. */
    static void walk(Object value, BiConsumer<String, Object> visitor) {
        walk("", value, visitor);
    }

    private static void walk(String path, Object value, BiConsumer<String, Object> visitor) {
        visitor.accept(path, value);
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, visitor));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(path + "[" + i + "]", list.get(i), visitor);
            }
        }
    }

    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object existing = merged.get(key);
            if (existing instanceof Map<?, ?> e && value instanceof Map<?, ?> v && !isIntrinsic(v)) {
                merged.put(key, merge(map(e, key), map(v, key)));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    static boolean isIntrinsic(Map<?, ?> value) {
        return value.size() == 1 && value.keySet().iterator().next() instanceof String k
                && (k.equals("Ref") || k.equals("Condition") || k.startsWith("Fn::"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertThat(value).as("%s should be a YAML mapping", what).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        assertThat(value).as("%s should be a YAML list", what).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    static int integer(Object value, String what) {
        assertThat(value).as("%s should be a literal number (not an intrinsic function), so it can be checked", what)
                .isInstanceOf(Number.class);
        return ((Number) value).intValue();
    }
}
