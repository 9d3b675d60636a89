package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable DynamoDB attribute value.
 *
 * <p>Values are kept in a canonical form so that {@link #equals} is DynamoDB equality: numbers as
 * {@link BigDecimal}s with trailing zeros stripped (DynamoDB trims leading and trailing zeros, so {@code 1.50}
 * equals and reads back as {@code 1.5}), binaries as re-encoded base64 strings, sets as sets (order does not
 * matter), maps as maps.
 */
final class AttributeValue {
    /** The wire type names, which are also the names {@code attribute_type} accepts. */
    enum Type { S, N, B, BOOL, NULL, M, L, SS, NS, BS }

    /** DynamoDB's maximum item size, names included: 400 KB. */
    static final int MAX_ITEM_BYTES = 400 * 1024;

    static final AttributeValue NULL = new AttributeValue(Type.NULL, Boolean.TRUE);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_PRECISION = 38;
    private static final int MAX_EXPONENT = 125;
    private static final int MIN_EXPONENT = -130;
    private static final int MAX_NESTING = 32;

    private final Type type;
    private final Object value;

    private AttributeValue(Type type, Object value) {
        this.type = type;
        this.value = value;
    }

    static AttributeValue string(String s) {
        return new AttributeValue(Type.S, Objects.requireNonNull(s));
    }

    static AttributeValue number(BigDecimal n) {
        return new AttributeValue(Type.N, canonicalNumber(n));
    }

    static AttributeValue bool(boolean b) {
        return new AttributeValue(Type.BOOL, b);
    }

    static AttributeValue map(Map<String, AttributeValue> entries) {
        return new AttributeValue(Type.M, Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
    }

    static AttributeValue list(List<AttributeValue> elements) {
        return new AttributeValue(Type.L, List.copyOf(elements));
    }

    /**
     * A string, number or binary set. Elements must already be canonical ({@link String}, canonical
     * {@link BigDecimal}, canonical base64 {@link String}); the caller guarantees the set is not empty.
     */
    static AttributeValue set(Type type, Collection<?> elements) {
        return new AttributeValue(type, Collections.unmodifiableSet(new LinkedHashSet<>(elements)));
    }

    Type type() {
        return type;
    }

    boolean isSet() {
        return type == Type.SS || type == Type.NS || type == Type.BS;
    }

    /** For S; for B the canonical base64 text. */
    String text() {
        return (String) value;
    }

    BigDecimal number() {
        return (BigDecimal) value;
    }

    byte[] bytes() {
        return Base64.getDecoder().decode((String) value);
    }

    boolean bool() {
        return (Boolean) value;
    }

    @SuppressWarnings("unchecked")
    Map<String, AttributeValue> map() {
        return (Map<String, AttributeValue>) value;
    }

    @SuppressWarnings("unchecked")
    List<AttributeValue> list() {
        return (List<AttributeValue>) value;
    }

    /** The elements of SS (Strings), NS (BigDecimals) or BS (base64 Strings). */
    @SuppressWarnings("unchecked")
    Set<Object> elements() {
        return (Set<Object>) value;
    }

    /** The element type of a set type: S for SS, N for NS, B for BS. */
    static Type elementType(Type setType) {
        return switch (setType) {
            case SS -> Type.S;
            case NS -> Type.N;
            case BS -> Type.B;
            default -> throw new IllegalArgumentException(setType + " is not a set type");
        };
    }

    /** A scalar S, N or B value wrapping one set element. */
    static AttributeValue ofElement(Type setType, Object element) {
        return new AttributeValue(elementType(setType), element);
    }

    /** True for the types that support ordering comparisons ({@code <}, BETWEEN) and may be key attributes. */
    boolean isScalarKeyType() {
        return type == Type.S || type == Type.N || type == Type.B;
    }

    /**
     * Orders two values of the same scalar type the way DynamoDB sorts range keys: numbers numerically,
     * strings and binaries by their unsigned UTF-8 / raw bytes. Two NULLs (the sort-key placeholder of
     * hash-only tables) compare equal.
     */
    static int compare(AttributeValue a, AttributeValue b) {
        if (a.type != b.type) {
            throw new IllegalArgumentException("cannot order " + a.type + " against " + b.type);
        }
        return switch (a.type) {
            case N -> a.number().compareTo(b.number());
            case S -> compareCodePoints(a.text(), b.text());
            case B -> Arrays.compareUnsigned(a.bytes(), b.bytes());
            case NULL -> 0;
            default -> throw new IllegalArgumentException(a.type + " values are not ordered");
        };
    }

    /** Code point order equals UTF-8 byte order, unlike {@link String#compareTo} on surrogate pairs. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** True if this S or B value starts with {@code prefix} of the same type. */
    boolean beginsWith(AttributeValue prefix) {
        if (type != prefix.type) {
            return false;
        }
        if (type == Type.S) {
            return text().startsWith(prefix.text());
        }
        if (type == Type.B) {
            byte[] all = bytes();
            byte[] start = prefix.bytes();
            return all.length >= start.length
                    && Arrays.equals(all, 0, start.length, start, 0, start.length);
        }
        return false;
    }

    /**
     * The smallest value greater than every S or B value that begins with this one, or null if there is none;
     * turns {@code begins_with} on a sort key into a key range.
     */
    AttributeValue prefixUpperBound() {
        if (type == Type.S) {
            int[] codePoints = text().codePoints().toArray();
            for (int i = codePoints.length - 1; i >= 0; i--) {
                if (codePoints[i] < Character.MAX_CODE_POINT) {
                    codePoints[i]++;
                    return string(new String(codePoints, 0, i + 1));
                }
            }
            return null;
        }
        byte[] bytes = bytes();
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] != (byte) 0xFF) {
                byte[] bound = Arrays.copyOf(bytes, i + 1);
                bound[i]++;
                return new AttributeValue(Type.B, Base64.getEncoder().encodeToString(bound));
            }
        }
        return null;
    }

    /**
     * The size DynamoDB charges for this value (its item size rules): UTF-8 bytes of strings, one byte per two
     * significant digits of a number plus one, raw bytes of binaries, one byte for BOOL and NULL, three bytes
     * plus one per element for maps and lists.
     */
    long size() {
        return switch (type) {
            case S -> utf8Length(text());
            case N -> numberSize(number());
            case B -> binaryLength(text());
            case BOOL, NULL -> 1;
            case M -> 3 + itemSize(map()) + map().size();
            case L -> 3 + list().stream().mapToLong(element -> element.size() + 1).sum();
            case SS, NS, BS -> elements().stream().mapToLong(element -> ofElement(type, element).size()).sum();
        };
    }

    /** The decoded length of canonical (padded) base64, without decoding it. */
    private static int binaryLength(String base64) {
        int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return base64.length() / 4 * 3 - padding;
    }

    /** The size of an item: attribute names plus values. */
    static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8Length(e.getKey()) + e.getValue().size();
        }
        return size;
    }

    private static long numberSize(BigDecimal n) {
        int digits = n.signum() == 0 ? 1 : n.precision();
        return (digits + 1) / 2 + 1;
    }

    static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    // ---- numbers --------------------------------------------------------------------------------------------

    private static BigDecimal parseNumber(String text) {
        try {
            return canonicalNumber(new BigDecimal(text));
        } catch (NumberFormatException e) {
            throw ApiException.validation("The parameter cannot be converted to a numeric value: " + text);
        }
    }

    /** Enforces DynamoDB's number limits: 38 significant digits, magnitude between 1E-130 and 1E+126. */
    private static BigDecimal canonicalNumber(BigDecimal n) {
        if (n.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = n.stripTrailingZeros();
        if (stripped.precision() > MAX_PRECISION) {
            throw ApiException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        int exponent = stripped.precision() - stripped.scale() - 1;
        if (exponent > MAX_EXPONENT) {
            throw ApiException.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (exponent < MIN_EXPONENT) {
            throw ApiException.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return stripped;
    }

    private static String canonicalBinary(String base64) {
        try {
            return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw ApiException.serialization("Base64 encoded binary value is invalid: " + e.getMessage());
        }
    }

    // ---- JSON -----------------------------------------------------------------------------------------------

    /** Reads an item ({@code {"name": {"S": "..."}, ...}}); {@code member} names the request member for errors. */
    static Map<String, AttributeValue> itemFromJson(JsonNode node, String member) {
        if (node == null || node.isNull()) {
            throw ApiException.notNull(member);
        }
        if (!node.isObject()) {
            throw ApiException.serialization("Expected a map of attribute values for " + member);
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().isEmpty()) {
                throw ApiException.validation(
                        "One or more parameter values were invalid: An attribute name must not be empty");
            }
            item.put(e.getKey(), fromJson(e.getValue(), 0));
        }
        return Collections.unmodifiableMap(item);
    }

    static ObjectNode itemToJson(Map<String, AttributeValue> item) {
        ObjectNode node = JSON.objectNode();
        item.forEach((name, value) -> node.set(name, value.toJson()));
        return node;
    }

    static AttributeValue fromJson(JsonNode node) {
        return fromJson(node, 0);
    }

    /** {@code depth} counts the maps and lists around this value; DynamoDB allows 32 levels. */
    private static AttributeValue fromJson(JsonNode node, int depth) {
        if (depth > MAX_NESTING) {
            throw ApiException.validation("Nesting Levels have exceeded supported limits");
        }
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw ApiException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (node.size() > 1) {
            throw ApiException.validation("Supplied AttributeValue has more than one datatypes set, "
                    + "must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, JsonNode> only = node.properties().iterator().next();
        Type type;
        try {
            type = Type.valueOf(only.getKey());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        JsonNode content = only.getValue();
        return switch (type) {
            case S -> string(textOf(content, type));
            case N -> new AttributeValue(Type.N, parseNumber(textOf(content, type)));
            case B -> new AttributeValue(Type.B, canonicalBinary(textOf(content, type)));
            case BOOL -> bool(booleanOf(content, type));
            case NULL -> {
                if (!booleanOf(content, type)) {
                    throw ApiException.validation("One or more parameter values were invalid: "
                            + "Null attribute value types must have the value of true");
                }
                yield NULL;
            }
            case M -> {
                if (!content.isObject()) {
                    throw ApiException.serialization("Expected a map for attribute value type M");
                }
                Map<String, AttributeValue> entries = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : content.properties()) {
                    entries.put(e.getKey(), fromJson(e.getValue(), depth + 1));
                }
                yield map(entries);
            }
            case L -> {
                if (!content.isArray()) {
                    throw ApiException.serialization("Expected a list for attribute value type L");
                }
                List<AttributeValue> elements = new ArrayList<>();
                content.forEach(element -> elements.add(fromJson(element, depth + 1)));
                yield list(elements);
            }
            case SS, NS, BS -> setFromJson(type, content);
        };
    }

    private static AttributeValue setFromJson(Type type, JsonNode content) {
        if (!content.isArray()) {
            throw ApiException.serialization("Expected a list for attribute value type " + type);
        }
        if (content.isEmpty()) {
            throw ApiException.validation(
                    "One or more parameter values were invalid: An " + type + " set may not be empty");
        }
        Set<Object> elements = new LinkedHashSet<>();
        List<String> raw = new ArrayList<>();
        for (JsonNode element : content) {
            String text = textOf(element, type);
            raw.add(text);
            Object canonical = type == Type.SS ? text
                    : type == Type.NS ? parseNumber(text)
                    : canonicalBinary(text);
            if (!elements.add(canonical)) {
                throw ApiException.validation(
                        "One or more parameter values were invalid: Input collection " + raw + " contains duplicates.");
            }
        }
        return set(type, elements);
    }

    private static String textOf(JsonNode node, Type type) {
        if (node == null || !node.isTextual()) {
            throw ApiException.serialization("Expected a string value for attribute value type " + type);
        }
        return node.textValue();
    }

    private static boolean booleanOf(JsonNode node, Type type) {
        if (node == null || !node.isBoolean()) {
            throw ApiException.serialization("Expected a boolean value for attribute value type " + type);
        }
        return node.booleanValue();
    }

    JsonNode toJson() {
        ObjectNode node = JSON.objectNode();
        switch (type) {
            case S, B -> node.put(type.name(), text());
            case N -> node.put("N", number().toPlainString());
            case BOOL, NULL -> node.put(type.name(), bool());
            case M -> node.set("M", itemToJson(map()));
            case L -> {
                ArrayNode array = node.putArray("L");
                list().forEach(element -> array.add(element.toJson()));
            }
            case SS, NS, BS -> {
                ArrayNode array = node.putArray(type.name());
                for (Object element : elements()) {
                    array.add(element instanceof BigDecimal number ? number.toPlainString() : (String) element);
                }
            }
        }
        return node;
    }

    /** The short form DynamoDB uses in error messages, e.g. {@code {S:abc}}. */
    @Override
    public String toString() {
        String content = type == Type.N ? number().toPlainString() : String.valueOf(value);
        return "{" + type + ":" + content + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributeValue other && type == other.type && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + value.hashCode();
    }

    /** True for an empty string or binary: DynamoDB allows those everywhere except in key attributes. */
    boolean isEmptyScalar() {
        return (type == Type.S || type == Type.B) && text().isEmpty();
    }
}
