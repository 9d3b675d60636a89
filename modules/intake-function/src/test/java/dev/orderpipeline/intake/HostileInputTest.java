package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBase64Body;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBody;
import static dev.orderpipeline.intake.ApiGatewayEvents.withMethod;
import static dev.orderpipeline.intake.ApiGatewayEvents.withPath;
import static dev.orderpipeline.intake.ApiGatewayEvents.withoutHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.json.OrderJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the corpus under {@code src/test/resources/hostile/} (format: {@code hostile/README.md}) against the intake
 * handler. Every case must be refused with a 4xx RFC 9457 problem that reflects none of the input, and nothing may
 * reach the queue.
 */
class HostileInputTest {
    private static final String ROOT = "hostile";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Pattern BODY_FILE_NAME = Pattern.compile("^(4\\d\\d)-[A-Za-z0-9.-]+\\.json$");
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("^[A-Za-z0-9._:=-]{1,128}$");
    private static final Pattern BYTE_ESCAPE = Pattern.compile("\\\\x([0-9A-Fa-f]{2})");
    /** Names the problem texts legitimately use: the order's own field names. */
    private static final Set<String> SCHEMA_NAMES = Set.of("customerId", "currency", "lines", "sku", "quantity",
            "unitPrice", "shippingAddress", "attributes", "name", "line1", "line2", "city", "region", "postalCode", "country");
    /** An example and words the fixed texts contain ("(line 1, column 9)"); a body may happen to contain them too. */
    private static final Set<String> RULE_VOCABULARY = Set.of("12.50", "order", "line");

    /** Expected problem type and errors per case name: {@code hostile/expected.json}. */
    private static final JsonNode EXPECTED = OrderJson.parse(readBytes(resource(ROOT + "/expected.json"))).get("cases");
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger SERVER_ERRORS = new AtomicInteger();
    private static final AtomicInteger ACCEPTED = new AtomicInteger();

    /** One request of the corpus, with what it submitted (for the reflection check). */
    record HostileCase(String name, APIGatewayV2HTTPEvent event, Optional<String> submittedText,
                       Map<String, String> suppliedHeaders, String path, List<String> secrets, Optional<Integer> expectedStatus) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TestFactory
    Stream<DynamicTest> handleRequest_whenInputIsHostile_answersA4xxProblemAndEnqueuesNothing() {
        return corpus().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try {
                assertRefusedWithoutReflection(c);
            } catch (AssertionError e) {
                // surefire reports dynamic tests by index: name the case in the failure itself
                throw new AssertionError(c.name() + ": " + e.getMessage(), e);
            }
        }));
    }

    @Test
    void corpus_whenLoaded_holdsAtLeast60UniquelyNamedCasesWithEveryBodyFileNamedByItsStatus() throws IOException {
        List<HostileCase> corpus = corpus();

        assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
        assertThat(corpus).extracting(HostileCase::name).doesNotHaveDuplicates();
        List<String> expected = new ArrayList<>();
        EXPECTED.fieldNames().forEachRemaining(expected::add);
        assertThat(expected).as("cases with an expected problem in expected.json")
                .containsExactlyInAnyOrderElementsOf(corpus.stream().map(HostileCase::name).toList());
        try (Stream<Path> files = Files.list(resource(ROOT + "/bodies"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .isNotEmpty()
                    .allSatisfy(name -> assertThat(name).matches(BODY_FILE_NAME));
        }
    }

    @Test
    void handleRequest_whenTheControlOrderIsLoadedLikeTheCases_isAccepted() {
        // proves both loaders can produce a 202: the refusals above are the input's doing, not the harness's
        HostileCase asBodyFile = bodyCase(resource(ROOT + "/valid-order.json"));
        HostileCase asManifestEntry = manifestCase(OrderJson.parse("{\"name\":\"control\",\"bodyFile\":\"valid-order.json\","
                + "\"headers\":{\"idempotency-key\":\"control-key-1\"}}"));

        for (HostileCase control : List.of(asBodyFile, asManifestEntry)) {
            RecordingOrderQueue queue = RecordingOrderQueue.acknowledging();
            APIGatewayV2HTTPResponse response = OpenApiContract.assertConforms(control.event(),
                    handler(queue, new RecordingIntakeMetrics()).handleRequest(control.event(), LambdaContexts.plain()));

            assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(202);
            assertThat(queue.sent()).hasSize(1);
        }
    }

    @AfterAll
    static void printSummary() {
        if (CASES.get() > 0) {
            System.out.printf("hostile input: %d cases, %d server errors, %d accepted%n", CASES.get(), SERVER_ERRORS.get(), ACCEPTED.get());
        }
    }

    // ---------------------------------------------------------------- the assertions every case must pass

    private static void assertRefusedWithoutReflection(HostileCase c) {
        RecordingOrderQueue queue = RecordingOrderQueue.acknowledging();
        RecordingIntakeMetrics metrics = new RecordingIntakeMetrics();

        APIGatewayV2HTTPResponse response = OpenApiContract.assertConforms(c.event(),
                handler(queue, metrics).handleRequest(c.event(), LambdaContexts.plain()));

        CASES.incrementAndGet();
        if (response.getStatusCode() >= 500) {
            SERVER_ERRORS.incrementAndGet();
        }
        if (response.getStatusCode() >= 200 && response.getStatusCode() < 300) {
            ACCEPTED.incrementAndGet();
        }
        assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isBetween(400, 499);
        c.expectedStatus().ifPresent(expected ->
                assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(expected));
        assertThat(queue.attempts()).as("calls to the queue").isZero();
        assertThat(metrics.recorded()).as("metrics").doesNotContain("accepted");

        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json").doesNotContainKey("Location");
        JsonNode problem = OrderJson.parse(response.getBody());
        assertThat(problem.isObject()).isTrue();
        assertThat(problem.path("type").textValue()).startsWith("urn:order-pipeline:problem:");
        assertThat(problem.path("title").textValue()).isNotBlank();
        assertThat(problem.path("detail").textValue()).isNotBlank();
        assertThat(problem.path("status").isInt()).as("status is a number").isTrue();
        assertThat(problem.path("status").intValue()).as("status in the body").isEqualTo(response.getStatusCode());
        assertExpectedProblem(c, problem);

        String correlationId = response.getHeaders().get("X-Correlation-Id");
        assertThat(correlationId).as("X-Correlation-Id").matches(SAFE_CORRELATION_ID);
        Optional.ofNullable(c.suppliedHeaders().get("x-correlation-id"))
                .filter(supplied -> !SAFE_CORRELATION_ID.matcher(supplied).matches())
                .ifPresent(unsafe -> assertThat(correlationId).as("an unsafe correlation id is replaced").isNotEqualTo(unsafe));

        assertNoReflection(c, response, problem);
    }

    /** The problem type and each error's pointer and code, as {@code expected.json} has them for this case. */
    private static void assertExpectedProblem(HostileCase c, JsonNode problem) {
        JsonNode expected = EXPECTED.get(c.name());
        assertThat(expected).as("expected.json entry for this case").isNotNull();
        assertThat(problem.path("type").textValue()).as("problem type")
                .isEqualTo("urn:order-pipeline:problem:" + expected.get("type").textValue());
        List<String> errors = new ArrayList<>();
        problem.path("errors").forEach(e -> errors.add(e.path("pointer").textValue() + " " + e.path("code").textValue()));
        List<String> expectedErrors = new ArrayList<>();
        expected.get("errors").forEach(e -> expectedErrors.add(e.textValue()));
        assertThat(errors).as("errors (pointer and code)").containsExactlyInAnyOrderElementsOf(expectedErrors);
    }

    private static void assertNoReflection(HostileCase c, APIGatewayV2HTTPResponse response, JsonNode problem) {
        // the problem without its pointers: those may name the submitted fields, nothing else may come from the input
        List<String> pointers = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            pointers.add(error.path("pointer").textValue());
            ((com.fasterxml.jackson.databind.node.ObjectNode) error).remove("pointer");
        }
        String text = OrderJson.write(problem);
        String headers = String.join("\n", response.getHeaders().values());

        Set<String> keys = new HashSet<>();
        Set<String> values = new HashSet<>();
        c.submittedText().ifPresent(body -> collectStrings(body, keys, values));
        for (String value : values) {
            if (value.length() > 3 && !SCHEMA_NAMES.contains(value) && !RULE_VOCABULARY.contains(value)) {
                assertThat(text).as("problem must not reflect the submitted value %s", abbreviate(value)).doesNotContain(value);
                assertThat(headers).as("headers must not reflect the submitted value %s", abbreviate(value)).doesNotContain(value);
            }
        }
        for (String key : keys) {
            if (key.length() > 3 && !SCHEMA_NAMES.contains(key)) {
                assertThat(text).as("problem text must name unknown field %s only in a pointer", abbreviate(key)).doesNotContain(key);
            }
        }
        for (String pointer : pointers) {
            assertThat(pointer).as("pointer").isNotNull();
            if (!pointer.isEmpty()) {
                assertThat(pointer).startsWith("/");
                for (String token : pointer.substring(1).split("/", -1)) {
                    String unescaped = token.replace("~1", "/").replace("~0", "~");
                    assertThat(token.matches("\\d+") || token.equals("(unnamed)") || keys.contains(unescaped)
                            || SCHEMA_NAMES.contains(unescaped))
                            .as("pointer token %s of %s is an index or a field name", abbreviate(token), pointer).isTrue();
                }
            }
        }
        c.suppliedHeaders().forEach((name, value) -> {
            if (value.length() > 3) {
                assertThat(text).as("problem must not reflect header %s", name).doesNotContain(value);
                boolean echoedOnPurpose = name.equals("x-correlation-id") && SAFE_CORRELATION_ID.matcher(value).matches();
                if (!echoedOnPurpose) {
                    assertThat(headers).as("response headers must not reflect header %s", name).doesNotContain(value);
                }
            }
        });
        for (String segment : c.path().split("/")) {
            if (segment.length() > 3 && !segment.equals("orders")) {
                assertThat(text).as("problem must not reflect the path segment %s", abbreviate(segment)).doesNotContain(segment);
            }
        }
        for (String secret : c.secrets()) {
            assertThat(text + "\n" + headers).as("response must not reflect %s", secret).doesNotContain(secret);
        }
    }

    /**
     * Every JSON string literal of the (possibly malformed) body, split into object keys (a colon follows) and other
     * values. A plain scanner rather than a regular expression: java.util.regex recurses per character and overflows
     * the stack on the 60 KiB strings of the corpus.
     */
    private static void collectStrings(String body, Set<String> keys, Set<String> values) {
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) != '"') {
                i++;
                continue;
            }
            int start = ++i;
            while (i < body.length() && body.charAt(i) != '"') {
                i += body.charAt(i) == '\\' ? 2 : 1;
            }
            String literal = body.substring(start, Math.min(i, body.length()));
            i++;
            int next = i;
            while (next < body.length() && Character.isWhitespace(body.charAt(next))) {
                next++;
            }
            boolean isKey = next < body.length() && body.charAt(next) == ':';
            (isKey ? keys : values).add(unescape(literal));
        }
    }

    private static String unescape(String literal) {
        try {
            return OrderJson.mapper().readValue("\"" + literal + "\"", String.class);
        } catch (IOException | RuntimeException e) {
            return literal;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static IntakeHandler handler(RecordingOrderQueue queue, RecordingIntakeMetrics metrics) {
        return new IntakeHandler(new SubmitOrder(queue, FakeOrderLookup.empty(), new InMemoryIdempotencyRecords(),
                SubmitOrder.DEFAULT_IDEMPOTENCY_WINDOW, Clock.fixed(NOW, ZoneOffset.UTC)), metrics);
    }

    // ---------------------------------------------------------------- loading the corpus

    static List<HostileCase> corpus() {
        List<HostileCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(resource(ROOT + "/bodies"))) {
            files.sorted().forEach(file -> cases.add(bodyCase(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode manifest = OrderJson.parse(readBytes(resource(ROOT + "/cases.json")));
        for (JsonNode entry : manifest.get("cases")) {
            cases.add(manifestCase(entry));
        }
        return cases;
    }

    private static HostileCase bodyCase(Path file) {
        String fileName = file.getFileName().toString();
        Matcher m = BODY_FILE_NAME.matcher(fileName);
        Optional<Integer> expected = m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        byte[] bytes = readBytes(file);
        APIGatewayV2HTTPEvent event = withBody(load("post-order-valid.json"), new String(bytes, StandardCharsets.UTF_8));
        return new HostileCase("bodies/" + fileName, event, Optional.of(new String(bytes, StandardCharsets.UTF_8)),
                Map.of(), "/orders", List.of(), expected);
    }

    private static HostileCase manifestCase(JsonNode entry) {
        String name = entry.get("name").textValue();
        APIGatewayV2HTTPEvent event = load("post-order-valid.json");
        String method = entry.has("method") ? entry.get("method").textValue() : "POST";
        String path = entry.has("path") ? text(entry.get("path")) : "/orders";
        withMethod(event, method);
        withPath(event, path);
        event.setRouteKey("$default");

        Map<String, String> supplied = new LinkedHashMap<>();
        if (entry.has("contentType")) {
            if (entry.get("contentType").isNull()) {
                withoutHeader(event, "content-type");
            } else {
                supplied.put("content-type", text(entry.get("contentType")));
            }
        }
        entry.path("headers").properties().forEach(h -> supplied.put(h.getKey().toLowerCase(Locale.ROOT), text(h.getValue())));
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        supplied.keySet().forEach(n -> headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(n)));
        headers.putAll(supplied);
        event.setHeaders(headers);

        Optional<String> submitted = body(entry, event);
        List<String> secrets = new ArrayList<>();
        entry.path("secrets").forEach(s -> secrets.add(s.textValue()));
        Optional<Integer> expected = entry.has("expectedStatus") ? Optional.of(entry.get("expectedStatus").intValue()) : Optional.empty();
        return new HostileCase("cases.json: " + name, event, submitted, supplied, path, secrets, expected);
    }

    /** Sets the event's body as the entry describes it; returns the submitted text (bytes read as UTF-8), if any. */
    private static Optional<String> body(JsonNode entry, APIGatewayV2HTTPEvent event) {
        if (entry.has("bodyBase64")) {
            String raw = entry.get("bodyBase64").textValue();
            withBody(event, raw);
            event.setIsBase64Encoded(true);
            try {
                return Optional.of(new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                return Optional.of(raw);
            }
        }
        if (entry.has("bodyBytes")) {
            byte[] bytes = withByteEscapes(entry.get("bodyBytes").textValue());
            withBase64Body(event, bytes);
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
        String text;
        if (entry.has("bodyFile")) {
            text = readText(ROOT + "/" + entry.get("bodyFile").textValue());
        } else if (entry.has("body")) {
            text = text(entry.get("body"));
        } else {
            event.setBody(null);
            event.setIsBase64Encoded(false);
            withoutHeader(event, "content-length");
            return Optional.empty();
        }
        Charset charset = entry.has("encoding") ? Charset.forName(entry.get("encoding").textValue()) : StandardCharsets.UTF_8;
        if (!charset.equals(StandardCharsets.UTF_8) || entry.path("base64").asBoolean(false)) {
            withBase64Body(event, text.getBytes(charset));
        } else {
            withBody(event, text);
        }
        return Optional.of(text);
    }

    /** A string field, or a generated one: {@code {"prefix": "…", "repeat": "…", "times": n, "suffix": "…"}}. */
    private static String text(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        return node.path("prefix").asText("") + node.get("repeat").textValue().repeat(node.get("times").intValue())
                + node.path("suffix").asText("");
    }

    /** UTF-8 bytes of {@code text}, with each {@code \xNN} replaced by the raw byte 0xNN. */
    private static byte[] withByteEscapes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = BYTE_ESCAPE.matcher(text);
        int last = 0;
        while (m.find()) {
            out.writeBytes(text.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
            out.write(Integer.parseInt(m.group(1), 16));
            last = m.end();
        }
        out.writeBytes(text.substring(last).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Path resource(String name) {
        try {
            var url = HostileInputTest.class.getClassLoader().getResource(name);
            if (url == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readText(String resourceName) {
        return new String(readBytes(resource(resourceName)), StandardCharsets.UTF_8);
    }
}
