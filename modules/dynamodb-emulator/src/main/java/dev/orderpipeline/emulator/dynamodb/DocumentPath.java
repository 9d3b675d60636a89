package dev.orderpipeline.emulator.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document path such as {@code a.b[2].c}: a top-level attribute name followed by map keys ({@link String}
 * elements) and list indexes ({@link Integer} elements).
 */
record DocumentPath(List<Object> elements) {

    DocumentPath {
        elements = List.copyOf(elements);
    }

    String topLevelName() {
        return (String) elements.get(0);
    }

    /** The value at this path, or null if any step is missing or of the wrong kind. */
    AttributeValue resolve(Map<String, AttributeValue> item) {
        AttributeValue current = item.get(topLevelName());
        for (int i = 1; i < elements.size() && current != null; i++) {
            current = child(current, elements.get(i));
        }
        return current;
    }

    private static AttributeValue child(AttributeValue container, Object element) {
        if (element instanceof String name) {
            return container.type() == AttributeValue.Type.M ? container.map().get(name) : null;
        }
        int index = (Integer) element;
        if (container.type() != AttributeValue.Type.L || index >= container.list().size()) {
            return null;
        }
        return container.list().get(index);
    }

    /** True if one path is a prefix of (or equal to) the other; DynamoDB rejects such pairs in one expression. */
    boolean overlaps(DocumentPath other) {
        int common = Math.min(elements.size(), other.elements.size());
        return elements.subList(0, common).equals(other.elements.subList(0, common));
    }

    /**
     * A copy of {@code item} with {@code value} stored at this path. The parent of the last step must exist
     * (DynamoDB does not create intermediate maps); an index past the end of a list appends.
     */
    Map<String, AttributeValue> set(Map<String, AttributeValue> item, AttributeValue value) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        if (elements.size() == 1) {
            copy.put(topLevelName(), value);
        } else {
            AttributeValue top = item.get(topLevelName());
            if (top == null) {
                throw invalidForUpdate();
            }
            copy.put(topLevelName(), setNested(top, 1, value));
        }
        return copy;
    }

    private AttributeValue setNested(AttributeValue container, int i, AttributeValue value) {
        boolean last = i == elements.size() - 1;
        Object element = elements.get(i);
        if (element instanceof String name) {
            if (container.type() != AttributeValue.Type.M) {
                throw invalidForUpdate();
            }
            Map<String, AttributeValue> entries = new LinkedHashMap<>(container.map());
            AttributeValue current = entries.get(name);
            if (!last && current == null) {
                throw invalidForUpdate();
            }
            entries.put(name, last ? value : setNested(current, i + 1, value));
            return AttributeValue.map(entries);
        }
        int index = (Integer) element;
        if (container.type() != AttributeValue.Type.L) {
            throw invalidForUpdate();
        }
        List<AttributeValue> list = new ArrayList<>(container.list());
        if (last) {
            if (index >= list.size()) {
                list.add(value);
            } else {
                list.set(index, value);
            }
        } else {
            if (index >= list.size()) {
                throw invalidForUpdate();
            }
            list.set(index, setNested(list.get(index), i + 1, value));
        }
        return AttributeValue.list(list);
    }

    /** A copy of {@code item} without the value at this path; a missing path leaves the item unchanged. */
    Map<String, AttributeValue> remove(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        if (elements.size() == 1) {
            copy.remove(topLevelName());
        } else {
            AttributeValue top = item.get(topLevelName());
            if (top != null) {
                copy.put(topLevelName(), removeNested(top, 1));
            }
        }
        return copy;
    }

    private AttributeValue removeNested(AttributeValue container, int i) {
        boolean last = i == elements.size() - 1;
        Object element = elements.get(i);
        if (element instanceof String name) {
            if (container.type() != AttributeValue.Type.M) {
                throw invalidForUpdate();
            }
            AttributeValue current = container.map().get(name);
            if (current == null) {
                return container;
            }
            Map<String, AttributeValue> entries = new LinkedHashMap<>(container.map());
            if (last) {
                entries.remove(name);
            } else {
                entries.put(name, removeNested(current, i + 1));
            }
            return AttributeValue.map(entries);
        }
        int index = (Integer) element;
        if (container.type() != AttributeValue.Type.L) {
            throw invalidForUpdate();
        }
        if (index >= container.list().size()) {
            return container;
        }
        List<AttributeValue> list = new ArrayList<>(container.list());
        if (last) {
            list.remove(index);
        } else {
            list.set(index, removeNested(list.get(index), i + 1));
        }
        return AttributeValue.list(list);
    }

    private static ApiException invalidForUpdate() {
        return ApiException.validation("The document path provided in the update expression is invalid for update");
    }

    /** The form DynamoDB uses in messages, e.g. {@code [a, b, [2]]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Object element : elements) {
            parts.add(element instanceof Integer ? "[" + element + "]" : (String) element);
        }
        return parts.toString();
    }
}
