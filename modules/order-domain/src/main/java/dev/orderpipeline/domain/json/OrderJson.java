package dev.orderpipeline.domain.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one strict JSON reader/writer for every document the pipeline exchanges.
 *
 * <p>Strict on purpose: duplicate keys, trailing content, anything but UTF-8 without a byte order mark, documents
 * nested deeper than {@value #MAX_NESTING_DEPTH} and floats where an exact decimal is needed are all rejected, so that
 * what was validated is exactly what gets stored and published.
 */
public final class OrderJson {
    public static final int MAX_NESTING_DEPTH = 16;
    public static final int MAX_STRING_LENGTH = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(64)
                .build());
    }

    private OrderJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a document, refusing anything that is not well-formed, strict JSON.
     *
     * @throws MalformedJsonException with a message that names the problem and its position, never the content
     */
    public static JsonNode parse(byte[] utf8) {
        if (utf8 == null || utf8.length == 0) {
            throw new MalformedJsonException("the body is empty");
        }
        // Parse the decoded text, not the bytes: from bytes Jackson sniffs the encoding and would read UTF-16 and
        // UTF-32 (whose ASCII is also valid UTF-8, NUL bytes and all) and skip a byte order mark.
        return parseText(decodeUtf8(utf8));
    }

    /** Text that is already decoded (an SQS message body) is parsed as is: no second encode/decode pass. */
    public static JsonNode parse(String json) {
        if (json == null || json.isEmpty()) {
            throw new MalformedJsonException("the body is empty");
        }
        return parseText(json);
    }

    private static JsonNode parseText(String text) {
        if (text.charAt(0) == '\uFEFF') {
            throw new MalformedJsonException("the body starts with a byte order mark");
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("the body holds no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(describe(e), e);
        } catch (IOException e) {
            throw new MalformedJsonException("the body could not be read as JSON", e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("the body is not valid UTF-8", e);
        }
    }

    private static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        String reason;
        if (original != null && original.startsWith("Duplicate field")) {
            reason = "a field appears twice in one object";
        } else if (original != null && original.contains("nesting depth")) {
            reason = "the document is nested deeper than " + MAX_NESTING_DEPTH + " levels";
        } else if (original != null && original.contains("exceeds the maximum")) {
            reason = "a value is longer than allowed";
        } else if (original != null && original.toLowerCase(java.util.Locale.ROOT).contains("trailing")) {
            reason = "there is content after the JSON value";
        } else if (original != null && original.contains("end-of-input")) {
            reason = "the JSON ends early";
        } else {
            reason = "the body is not well-formed JSON";
        }
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            return reason + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return reason;
    }
}
