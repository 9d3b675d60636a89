package dev.orderpipeline.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM YAML template into plain maps and lists, turning each short-form intrinsic tag into
 * its long form, exactly as CloudFormation does: {@code !Ref X} becomes {@code {"Ref": "X"}}, {@code !Sub s} becomes
 * {@code {"Fn::Sub": s}}, {@code !GetAtt A.B} becomes {@code {"Fn::GetAtt": ["A", "B"]}}, and so on.
 */
final class CloudFormationYaml {
    /** Short-form tag (without the '!') to the long-form key. */
    private static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("Ref", "Ref"),
            Map.entry("Condition", "Condition"),
            Map.entry("GetAtt", "Fn::GetAtt"),
            Map.entry("Sub", "Fn::Sub"),
            Map.entry("If", "Fn::If"),
            Map.entry("Equals", "Fn::Equals"),
            Map.entry("Not", "Fn::Not"),
            Map.entry("And", "Fn::And"),
            Map.entry("Or", "Fn::Or"),
            Map.entry("Join", "Fn::Join"),
            Map.entry("Select", "Fn::Select"),
            Map.entry("Split", "Fn::Split"),
            Map.entry("FindInMap", "Fn::FindInMap"),
            Map.entry("GetAZs", "Fn::GetAZs"),
            Map.entry("Base64", "Fn::Base64"),
            Map.entry("ImportValue", "Fn::ImportValue"),
            Map.entry("Cidr", "Fn::Cidr"));

    private CloudFormationYaml() {
    }

    static Map<String, Object> read(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // CloudFormation rejects duplicate keys; so do we
        Yaml yaml = new Yaml(new IntrinsicConstructor(options));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = yaml.load(reader);
            if (!(document instanceof Map<?, ?> map)) {
                throw new IllegalStateException(file + " is not a YAML mapping at the top level");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> template = (Map<String, Object>) map;
            return template;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            TAGS.forEach((tag, longForm) -> yamlConstructors.put(new Tag("!" + tag), new Intrinsic(longForm)));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String longForm;

            Intrinsic(String longForm) {
                this.longForm = longForm;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // !GetAtt Resource.Attribute is the short form of ["Resource", "Attribute"]
                    value = longForm.equals("Fn::GetAtt") ? Arrays.asList(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(longForm, value);
            }
        }
    }

    /** {@code true} when the value is {@code {"<function>": …}}, e.g. {@code isFunction(v, "Fn::If")}. */
    static boolean isFunction(Object value, String function) {
        return value instanceof Map<?, ?> map && map.size() == 1 && map.containsKey(function);
    }

    /** {@code {"Ref": id}}. */
    static Map<String, Object> ref(String id) {
        return Map.of("Ref", id);
    }

    /** {@code {"Fn::GetAtt": [id, attribute]}}. */
    static Map<String, Object> getAtt(String id, String attribute) {
        return Map.of("Fn::GetAtt", List.of(id, attribute));
    }

    /** {@code {"Fn::Sub": text}}. */
    static Map<String, Object> sub(String text) {
        return Map.of("Fn::Sub", text);
    }
}
