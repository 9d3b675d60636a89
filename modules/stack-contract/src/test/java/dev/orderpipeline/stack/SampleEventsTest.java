package dev.orderpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.IdempotencyKey;
import dev.orderpipeline.local.PipelineResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sample events in {@code events/} (for {@code sam local invoke} and the docs) are events the deployed stack would
 * really deliver, and that the handlers accept: routes of the template, the $default stage, an authenticated caller,
 * bodies that pass the same parsers the functions use.
 */
class SampleEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void httpApiEvents_matchTemplateRoutes_comeFromAnAuthenticatedCaller_andCarryValidOrders() throws IOException {
        Set<String> routes = templateRoutes();
        List<Path> files = eventFiles(node -> "2.0".equals(node.path("version").asText()) && node.has("routeKey"));
        assertThat(files).as("events/ needs an HTTP API (payload 2.0) sample, e.g. events/post-order.json").isNotEmpty();
        boolean hasPost = false;
        for (Path file : files) {
            String name = file.getFileName().toString();
            APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(file.toString());
            assertThat(routes).as("events/%s has routeKey %s, which is not a route of the HTTP API in template.yaml", name,
                    event.getRouteKey()).contains(event.getRouteKey());
            assertThat(event.getRequestContext().getStage())
                    .as("events/%s: the API uses the $default stage; other stages change rawPath", name).isEqualTo("$default");
            String method = event.getRouteKey().substring(0, event.getRouteKey().indexOf(' '));
            String pathPattern = event.getRouteKey().substring(event.getRouteKey().indexOf(' ') + 1).replaceAll("\\{[^}]+}", "[^/]+");
            assertThat(event.getRequestContext().getHttp().getMethod()).as("events/%s: http.method must match routeKey", name)
                    .isEqualTo(method);
            assertThat(event.getRawPath()).as("events/%s: rawPath must match routeKey %s", name, event.getRouteKey())
                    .matches(pathPattern);
            assertThat(event.getRequestContext().getAuthorizer())
                    .as("events/%s: every route requires authentication, so a real event carries requestContext.authorizer"
                            + " (iam or jwt)", name)
                    .isNotNull();
            if (method.equals("POST")) {
                hasPost = true;
                assertThat(event.getHeaders()).as("events/%s: intake accepts only Content-Type: application/json", name)
                        .containsEntry("content-type", "application/json");
                String key = event.getHeaders().get("idempotency-key");
                assertThat(key == null || IdempotencyKey.isValid(key))
                        .as("events/%s: Idempotency-Key %s would be rejected by intake (IdempotencyKey.isValid)", name, key)
                        .isTrue();
                try {
                    OrderSubmissionJson.read(event.getBody().getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    fail("events/" + name + " body is not an order intake accepts: " + e.getMessage());
                }
            }
        }
        assertThat(hasPost).as("events/ needs a POST /orders sample").isTrue();
    }

    @Test
    void sqsEvents_comeFromTheOrdersQueue_andCarryMessagesConfirmationAccepts() throws IOException {
        List<Path> files = eventFiles(node -> node.path("Records").path(0).path("eventSource").asText().equals("aws:sqs"));
        assertThat(files).as("events/ needs an SQS sample for the confirmation function, e.g. events/sqs-orders-batch.json")
                .isNotEmpty();
        String queueName = PipelineResources.physicalName(stackName(), PipelineResources.ORDERS_QUEUE);
        for (Path file : files) {
            String name = file.getFileName().toString();
            SQSEvent event = EventLoader.loadSQSEvent(file.toString());
            assertThat(event.getRecords()).as("events/%s has no records", name).isNotEmpty();
            assertThat(event.getRecords().size()).as("events/%s: a batch holds at most BatchSize (%s) records", name,
                    PipelineResources.BATCH_SIZE).isLessThanOrEqualTo(PipelineResources.BATCH_SIZE);
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                assertThat(message.getEventSourceArn())
                        .as("events/%s message %s should come from the orders queue %s (stack %s in samconfig.toml)", name,
                                message.getMessageId(), queueName, stackName())
                        .endsWith(":" + queueName);
                try {
                    OrderMessageJson.read(message.getBody());
                } catch (RuntimeException e) {
                    fail("events/" + name + " message " + message.getMessageId()
                            + " is not an order message the confirmation function accepts: " + e.getMessage());
                }
            }
        }
    }

    private static Set<String> templateRoutes() {
        StackTemplate template = StackTemplate.load();
        Set<String> routes = new TreeSet<>();
        for (String id : template.ofType(StackTemplate.FUNCTION)) {
            for (Map<String, Object> event : template.events(id, "HttpApi").values()) {
                routes.add(event.get("Method") + " " + event.get("Path"));
            }
        }
        return routes;
    }

    private static String stackName() {
        Matcher m = Pattern.compile("(?m)^stack_name\\s*=\\s*\"([^\"]+)\"").matcher(RepoFiles.text("samconfig.toml"));
        assertThat(m.find()).as("samconfig.toml has no stack_name").isTrue();
        return m.group(1);
    }

    private static List<Path> eventFiles(java.util.function.Predicate<JsonNode> kind) throws IOException {
        Path dir = RepoFiles.root().resolve("events");
        assertThat(dir).as("events/ (sample Lambda events) is missing").isDirectory();
        List<Path> matching = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode node;
                try {
                    node = JSON.readTree(file.toFile());
                } catch (IOException e) {
                    throw new AssertionError("events/" + file.getFileName() + " is not valid JSON: " + e.getMessage(), e);
                }
                if (kind.test(node)) {
                    matching.add(file);
                }
            }
        }
        return matching;
    }
}
