package dev.orderpipeline.emulator.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies the parts of an item named by document paths, keeping their nesting: {@code a.b} yields
 * {@code {a: {M: {b: ...}}}}, and {@code l[3], l[1]} yield {@code {l: {L: [element 1, element 3]}}} (selected list
 * elements in list order). Used for ProjectionExpression and for the UPDATED_OLD / UPDATED_NEW return values.
 * The paths must not overlap (the parser guarantees it).
 */
final class Projection {

    private Projection() {
    }

    static Map<String, AttributeValue> apply(Map<String, AttributeValue> item, List<DocumentPath> paths) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (DocumentPath path : paths) {
            AttributeValue value = path.resolve(item);
            if (value != null) {
                insert(root, path.elements(), 0, value);
            }
        }
        Map<String, AttributeValue> result = new LinkedHashMap<>();
        root.forEach((name, node) -> result.put(name, build(node)));
        return result;
    }

    /**
     * Builds the result tree from {@code Map<String, Object>} nodes (maps), {@code TreeMap<Integer, Object>} nodes
     * (lists, by original index) and {@link AttributeValue} leaves.
     */
    @SuppressWarnings("unchecked")
    private static void insert(Object node, List<Object> elements, int i, AttributeValue value) {
        Object key = elements.get(i);
        boolean last = i == elements.size() - 1;
        Map<Object, Object> children = (Map<Object, Object>) node;
        if (last) {
            children.put(key, value);
            return;
        }
        Object child = children.computeIfAbsent(key,
                k -> elements.get(i + 1) instanceof Integer ? new TreeMap<Integer, Object>() : new LinkedHashMap<>());
        insert(child, elements, i + 1, value);
    }

    @SuppressWarnings("unchecked")
    private static AttributeValue build(Object node) {
        if (node instanceof AttributeValue value) {
            return value;
        }
        if (node instanceof TreeMap<?, ?> indexed) {
            List<AttributeValue> elements = new ArrayList<>();
            indexed.values().forEach(child -> elements.add(build(child)));
            return AttributeValue.list(elements);
        }
        Map<String, AttributeValue> entries = new LinkedHashMap<>();
        ((Map<String, Object>) node).forEach((name, child) -> entries.put(name, build(child)));
        return AttributeValue.map(entries);
    }
}
