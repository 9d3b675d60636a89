package dev.orderpipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orderpipeline.domain.json.OrderJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code docs/openapi.yaml} as a test oracle: a response of the intake handler conforms when its request's operation
 * (or, for requests that match none, the document's RouteNotFound / MethodNotAllowed responses) documents its status,
 * every required header is present and matches its schema, and the body has a documented media type and validates
 * against that media type's schema (JSON Schema 2020-12, OpenAPI 3.1's dialect, with format assertions).
 */
final class OpenApiContract {
    static final Path DOCUMENT = locate("docs/openapi.yaml");
    static final JsonNode OPENAPI = read(DOCUMENT);
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private OpenApiContract() {
    }

    /** Fails, naming the rule, unless {@code response} to {@code request} is what the document promises. */
    static APIGatewayV2HTTPResponse assertConforms(APIGatewayV2HTTPEvent request, APIGatewayV2HTTPResponse response) {
        String status = Integer.toString(response.getStatusCode());
        String pointer = responsePointer(request, status);
        JsonNode spec = at(pointer);
        while (spec.has("$ref")) {
            pointer = spec.get("$ref").textValue();
            spec = at(pointer);
        }
        String what = method(request) + " " + request.getRawPath() + " -> " + status;
        String responseAt = pointer;
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        Iterator<Map.Entry<String, JsonNode>> documented = spec.path("headers").fields();
        while (documented.hasNext()) {
            Map.Entry<String, JsonNode> header = documented.next();
            JsonNode headerSpec = header.getValue().has("$ref") ? at(header.getValue().get("$ref").textValue()) : header.getValue();
            Optional<String> value = header(headers, header.getKey());
            if (headerSpec.path("required").asBoolean(false)) {
                assertThat(value).as("%s: required header %s", what, header.getKey()).isPresent();
            }
            value.ifPresent(v -> assertValid(schemaPointerOf(header.getValue(), responseAt + "/headers/" + escape(header.getKey())),
                    TextNode.valueOf(v), what + " header " + header.getKey()));
        }
        String contentType = header(headers, "Content-Type").map(ct -> ct.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        assertThat(iterable(spec.path("content").fieldNames())).as("%s: documented media types", what).contains(contentType);
        assertValid(responseAt + "/content/" + escape(contentType) + "/schema", OrderJson.parse(response.getBody()), what + " body");
        return response;
    }

    /** Fails unless {@code document} validates against the schema at {@code pointer} (e.g. the request body's). */
    static void assertValid(String pointer, JsonNode document, String what) {
        Set<ValidationMessage> violations = schema(pointer).validate(document);
        assertThat(violations).as("%s: violations of %s in %s", what, pointer, document).isEmpty();
    }

    private static String responsePointer(APIGatewayV2HTTPEvent request, String status) {
        String path = request.getRawPath() == null ? "/" : request.getRawPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String template = null;
        if (path.equals("/orders")) {
            template = "/orders";
        } else if (path.matches("^/orders/[^/]+$")) {
            template = "/orders/{orderId}";
        }
        if (template == null || !OPENAPI.path("paths").has(template)) {
            return "#/components/responses/RouteNotFound";
        }
        String method = method(request).toLowerCase(Locale.ROOT);
        JsonNode operation = OPENAPI.path("paths").path(template).path(method);
        if (operation.isMissingNode()) {
            return "#/components/responses/MethodNotAllowed";
        }
        String pointer = "#/paths/" + escape(template) + "/" + method + "/responses/" + status;
        assertThat(operation.path("responses").has(status))
                .as("%s %s answered %s, which docs/openapi.yaml does not document for the operation", method, template, status)
                .isTrue();
        return pointer;
    }

    private static String schemaPointerOf(JsonNode header, String inlinePointer) {
        return header.has("$ref") ? header.get("$ref").textValue() + "/schema" : inlinePointer + "/schema";
    }

    private static JsonSchema schema(String pointer) {
        return SCHEMAS.computeIfAbsent(pointer, p -> {
            // the whole document is the schema resource, so that its internal $refs resolve; the root $ref picks the part
            ObjectNode root = OPENAPI.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", p);
            return FACTORY.getSchema(root, CONFIG);
        });
    }

    private static JsonNode at(String pointer) {
        JsonNode node = OPENAPI.at(pointer.substring(1));
        assertThat(node.isMissingNode()).as("docs/openapi.yaml has nothing at %s", pointer).isFalse();
        return node;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String method(APIGatewayV2HTTPEvent request) {
        return request.getRequestContext() != null && request.getRequestContext().getHttp() != null
                && request.getRequestContext().getHttp().getMethod() != null
                ? request.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT) : "";
    }

    private static Optional<String> header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }

    private static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative)) && Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static JsonNode read(Path file) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
