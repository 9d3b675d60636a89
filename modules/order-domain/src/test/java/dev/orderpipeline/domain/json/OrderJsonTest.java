package dev.orderpipeline.domain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderJsonTest {
    /** Appears in every rejected document; no exception message may repeat it. */
    private static final String SECRET = "SECRET-4711";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String nestedArrays(int depth) {
        return "[".repeat(depth) + "\"" + SECRET + "\"" + "]".repeat(depth);
    }

    private static String nestedObjects(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append("{\"").append(SECRET).append("\":");
        }
        b.append("1");
        b.append("}".repeat(depth));
        return b.toString();
    }

    private static byte[] withBytes(String before, int[] bytes, String after) {
        byte[] head = utf8(before);
        byte[] tail = utf8(after);
        byte[] out = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        for (int i = 0; i < bytes.length; i++) {
            out[head.length + i] = (byte) bytes[i];
        }
        System.arraycopy(tail, 0, out, head.length + bytes.length, tail.length);
        return out;
    }

    static Stream<Arguments> malformedDocuments() {
        String secretObject = "{\"customerId\":\"" + SECRET + "\"}";
        return Stream.of(
                arguments(named("duplicate key", utf8("{\"customerId\":\"" + SECRET + "\",\"customerId\":\"" + SECRET + "\"}")),
                        "a field appears twice"),
                arguments(named("duplicate key in nested object",
                        utf8("{\"lines\":[{\"sku\":\"" + SECRET + "\",\"sku\":\"B\"}]}")), "a field appears twice"),
                arguments(named("trailing object", utf8(secretObject + "{\"x\":\"" + SECRET + "\"}")), "content after the JSON value"),
                arguments(named("trailing garbage", utf8(secretObject + " " + SECRET)), "not well-formed"),
                arguments(named("trailing number", utf8(secretObject + " 4711")), "content after the JSON value"),
                arguments(named("truncated object", utf8("{\"customerId\":\"" + SECRET + "\"")), "ends early"),
                arguments(named("truncated string", utf8("{\"customerId\":\"" + SECRET)), "ends early"),
                arguments(named("truncated array", utf8("[\"" + SECRET + "\",")), "ends early"),
                arguments(named("empty body", new byte[0]), "empty"),
                arguments(named("null body", (byte[]) null), "empty"),
                arguments(named("whitespace only", utf8(" \n\t ")), "no JSON value"),
                arguments(named("invalid UTF-8 continuation", withBytes("{\"name\":\"" + SECRET, new int[] {0xC3, 0x28}, "\"}")),
                        "not valid UTF-8"),
                arguments(named("invalid UTF-8 byte 0xFF", withBytes("{\"name\":\"" + SECRET, new int[] {0xFF}, "\"}")),
                        "not valid UTF-8"),
                arguments(named("overlong UTF-8 encoding of /", withBytes("{\"name\":\"" + SECRET, new int[] {0xC0, 0xAF}, "\"}")),
                        "not valid UTF-8"),
                arguments(named("UTF-8 encoded surrogate", withBytes("{\"name\":\"" + SECRET, new int[] {0xED, 0xA0, 0x80}, "\"}")),
                        "not valid UTF-8"),
                arguments(named("truncated UTF-8 sequence", withBytes("{\"name\":\"" + SECRET + "\"}", new int[] {0xE2, 0x82}, "")),
                        "not valid UTF-8"),
                arguments(named("arrays nested one level too deep", utf8(nestedArrays(OrderJson.MAX_NESTING_DEPTH + 1))),
                        "nested deeper than " + OrderJson.MAX_NESTING_DEPTH),
                arguments(named("objects nested one level too deep", utf8(nestedObjects(OrderJson.MAX_NESTING_DEPTH + 1))),
                        "nested deeper than " + OrderJson.MAX_NESTING_DEPTH),
                arguments(named("very deep nesting", utf8(nestedArrays(10_000))),
                        "nested deeper than " + OrderJson.MAX_NESTING_DEPTH),
                arguments(named("NaN", utf8("{\"" + SECRET + "\":NaN}")), "not well-formed"),
                arguments(named("Infinity", utf8("{\"" + SECRET + "\":Infinity}")), "not well-formed"),
                arguments(named("-Infinity", utf8("{\"" + SECRET + "\":-Infinity}")), "not well-formed"),
                arguments(named("single quotes", utf8("{'customerId':'" + SECRET + "'}")), "not well-formed"),
                arguments(named("unquoted field name", utf8("{customerId:\"" + SECRET + "\"}")), "not well-formed"),
                arguments(named("comment", utf8("{/* " + SECRET + " */}")), "not well-formed"),
                arguments(named("trailing comma", utf8("{\"customerId\":\"" + SECRET + "\",}")), "not well-formed"),
                arguments(named("leading zero number", utf8("{\"" + SECRET + "\":012}")), "not well-formed"),
                arguments(named("raw control character in string", utf8("{\"name\":\"" + SECRET + "\u0001\"}")),
                        "not well-formed"),
                arguments(named("string longer than allowed",
                        utf8("{\"name\":\"" + SECRET + "x".repeat(OrderJson.MAX_STRING_LENGTH) + "\"}")), "longer than allowed"),
                arguments(named("number longer than allowed", utf8("{\"" + SECRET + "\":" + "9".repeat(65) + "}")),
                        "longer than allowed"));
    }

    @ParameterizedTest
    @MethodSource("malformedDocuments")
    void parse_whenDocumentIsMalformed_throwsWithoutEchoingContent(byte[] body, String reason) {
        Throwable thrown = catchThrowable(() -> OrderJson.parse(body));

        assertThat(thrown).isInstanceOf(MalformedJsonException.class);
        assertThat(thrown.getMessage())
                .contains(reason)
                .doesNotContain(SECRET)
                .doesNotContain("customerId")
                .doesNotContain("4711");
    }

    @Test
    void parse_whenSyntaxErrorIsOnLaterLine_reportsPositionOnly() {
        Throwable thrown = catchThrowable(() -> OrderJson.parse("{\n  \"a\": 1,\n  \"a\": 2\n}"));

        assertThat(thrown).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("line 3")
                .hasMessageNotContaining("\"a\"");
    }

    @Test
    void parse_whenNestingIsExactlyMaximum_acceptsDocument() {
        JsonNode node = OrderJson.parse(nestedArrays(OrderJson.MAX_NESTING_DEPTH));

        assertThat(node.at("/0".repeat(OrderJson.MAX_NESTING_DEPTH - 1) + "/0").textValue()).isEqualTo(SECRET);
    }

    @Test
    void parse_whenStringIsExactlyMaximumLength_acceptsDocument() {
        String value = "x".repeat(OrderJson.MAX_STRING_LENGTH);

        assertThat(OrderJson.parse("{\"name\":\"" + value + "\"}").get("name").textValue()).hasSize(OrderJson.MAX_STRING_LENGTH);
    }

    @Test
    void parse_whenDocumentIsWellFormed_keepsDecimalsExact() {
        JsonNode node = OrderJson.parse(utf8("{\"price\":0.1,\"name\":\"Zoë 🚲\"}"));

        assertThat(node.get("price").decimalValue()).isEqualByComparingTo(new BigDecimal("0.1"));
        assertThat(node.get("price").isBigDecimal()).isTrue();
        assertThat(node.get("name").textValue()).isEqualTo("Zoë 🚲");
    }

    @Test
    void parse_whenStringOverloadGetsNull_throwsEmptyBody() {
        assertThat(catchThrowable(() -> OrderJson.parse((String) null)))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void write_whenParsedAgain_givesEqualTree() {
        JsonNode node = OrderJson.parse("{\"a\":[1,\"two\",{\"b\":null}],\"c\":\"12.50\"}");

        assertThat(OrderJson.parse(OrderJson.write(node))).isEqualTo(node);
    }
}
