package dev.orderpipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's request examples are orders the API takes: each validates against the request schema of
 * {@code docs/openapi.yaml} and is accepted by the order contract itself; the README links the document.
 */
class ReadmeExamplesContractTest {
    private static final String REQUEST_SCHEMA = "#/components/schemas/OrderSubmission";
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CURL_BODY = Pattern.compile("-d '(\\{.*?\\})'", Pattern.DOTALL);

    private static String readme() throws IOException {
        return Files.readString(OpenApiContract.DOCUMENT.getParent().getParent().resolve("README.md"));
    }

    /** Every JSON code block that is an order as sent (lines, no orderId), and every curl body sent with -d. */
    private static List<String> requestExamples(String readme) {
        List<String> examples = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(readme);
        while (block.find()) {
            JsonNode json = OrderJson.parse(block.group(1));
            if (json.has("lines") && !json.has("orderId")) { // an order as sent, not an answer or an event
                examples.add(block.group(1));
            }
        }
        Matcher curl = CURL_BODY.matcher(readme);
        while (curl.find()) {
            examples.add(curl.group(1));
        }
        return examples;
    }

    @Test
    void readmeRequestExamples_validateAgainstTheOpenApiRequestSchema_andTheOrderContract() throws IOException {
        List<String> examples = requestExamples(readme());

        assertThat(examples).as("order examples in README.md (the quick start curl and the API section)").hasSizeGreaterThanOrEqualTo(2);
        for (String example : examples) {
            JsonNode order = OrderJson.parse(example);
            OpenApiContract.assertValid(REQUEST_SCHEMA, order, "README example " + example);
            OrderSubmissionJson.read(order, ""); // throws, listing the violations, if the API would refuse it
        }
    }

    @Test
    void requestSchema_whenAnExampleBreaksTheContract_rejectsIt() {
        JsonNode numberPrice = OrderJson.parse("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.5}]}");
        JsonNode unknownField = OrderJson.parse("{\"currency\":\"EUR\",\"total\":\"1.00\",\"lines\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":\"1.00\"}]}");

        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> OpenApiContract.assertValid(REQUEST_SCHEMA, numberPrice, "price as a JSON number"))).isInstanceOf(AssertionError.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> OpenApiContract.assertValid(REQUEST_SCHEMA, unknownField, "a client-sent total"))).isInstanceOf(AssertionError.class);
    }

    @Test
    void readme_linksTheOpenApiDocument_andItDocumentsEveryProblemType() throws IOException {
        assertThat(readme()).as("README links docs/openapi.yaml").contains("(docs/openapi.yaml)");
        String document = Files.readString(OpenApiContract.DOCUMENT);
        for (ProblemType type : ProblemType.values()) {
            assertThat(document).as("docs/openapi.yaml documents problem type %s", type.uri()).contains(type.uri());
        }
    }
}
