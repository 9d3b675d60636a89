package dev.orderpipeline.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a deployed stack, on one loopback port: CloudFormation {@code DescribeStacks} (query protocol),
 * Step Functions {@code StartExecution} and EventBridge {@code StartReplay} (JSON protocols), and the orders HTTP
 * API. It records every request, so tests can check what the CLI sent (and that API requests were signed).
 * It verifies no signature: real SigV4 verification needs AWS.
 */
final class FakeAws implements AutoCloseable {
    static final String STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:prod-dlq-redrive";
    static final String ARCHIVE_ARN = "arn:aws:events:us-east-1:123456789012:archive/prod-order-confirmed";
    static final String BUS_ARN = "arn:aws:events:us-east-1:123456789012:event-bus/prod-order-events";
    static final String MOVE_TASK_HANDLE = "eyJ0YXNrSWQiOiJ0YXNrLTEifQ==";

    record Request(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeAws() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> apiRequests() {
        return requests.stream().filter(r -> r.path().startsWith("/orders")).toList();
    }

    Request onlyRequestWithTarget(String target) {
        List<Request> matching = requests.stream().filter(r -> target.equals(r.header("X-Amz-Target"))).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + target + " request, got " + matching.size() + ": " + requests);
        }
        return matching.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = exchange.getRequestURI().getRawPath();
            Request request = new Request(exchange.getRequestMethod(), path, headers, body);
            requests.add(request);

            String target = request.header("X-Amz-Target");
            if (body.startsWith("Action=DescribeStacks")) {
                describeStacks(exchange, form(body).get("StackName"));
            } else if ("AWSStepFunctions.StartExecution".equals(target)) {
                respond(exchange, 200, "application/x-amz-json-1.0", "{\"executionArn\":\""
                        + STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":run-1\",\"startDate\":1795687200}");
            } else if (target != null && target.startsWith("AmazonSQS.")) {
                sqs(exchange, target.substring("AmazonSQS.".length()), body);
            } else if ("AWSEvents.StartReplay".equals(target)) {
                respond(exchange, 200, "application/x-amz-json-1.1", "{\"ReplayArn\":\"arn:aws:events:us-east-1:123456789012:"
                        + "replay/run-1\",\"State\":\"STARTING\",\"ReplayStartTime\":1795687200}");
            } else if (path.matches("/orders/[0-9a-f-]{36}") && "GET".equals(request.method())) {
                String id = path.substring("/orders/".length());
                respond(exchange, 200, "application/json", "{\"orderId\":\"" + id + "\",\"status\":\"CONFIRMED\","
                        + "\"orderNumber\":\"ORD-0000000042\",\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[],"
                        + "\"total\":\"25.00\",\"submittedAt\":\"2026-11-26T10:00:00Z\",\"confirmedAt\":\"2026-11-26T10:00:01Z\"}");
            } else if ("/orders".equals(path) && "POST".equals(request.method())) {
                exchange.getResponseHeaders().add("Location", "/orders/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
                respond(exchange, 202, "application/json", "{\"orderId\":\"3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f\","
                        + "\"status\":\"PENDING\",\"submittedAt\":\"2026-11-26T10:00:00Z\"}");
            } else {
                respond(exchange, 400, "application/json", "{\"message\":\"the fake does not know this request\"}");
            }
        }
    }

    /**
     * The SQS calls of {@code dlq replay}: a DLQ of 2 messages fed by the orders queue, a move task that starts
     * ({@link #MOVE_TASK_HANDLE}) and then is not listed (as a task a backend dropped).
     */
    private void sqs(HttpExchange exchange, String action, String body) throws IOException {
        String json = switch (action) {
            case "GetQueueAttributes" -> "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"2\","
                    + "\"ApproximateNumberOfMessagesNotVisible\":\"0\",\"ApproximateNumberOfMessagesDelayed\":\"0\","
                    + "\"QueueArn\":\"arn:aws:sqs:us-east-1:123456789012:" + (body.contains("prod-orders-dlq") ? "prod-orders-dlq" : "prod-orders")
                    + "\"}}";
            case "ListDeadLetterSourceQueues" -> "{\"queueUrls\":[\"" + endpoint() + "/123456789012/prod-orders\"]}";
            case "ListMessageMoveTasks" -> "{\"Results\":[]}";
            case "StartMessageMoveTask" -> "{\"TaskHandle\":\"" + MOVE_TASK_HANDLE + "\"}";
            default -> null;
        };
        if (json == null) {
            respond(exchange, 400, "application/x-amz-json-1.0", "{\"__type\":\"com.amazonaws.sqs#InvalidAction\","
                    + "\"message\":\"the fake does not know " + action + "\"}");
        } else {
            respond(exchange, 200, "application/x-amz-json-1.0", json);
        }
    }

    private void describeStacks(HttpExchange exchange, String stack) throws IOException {
        if (!"prod".equals(stack) && !"jwt-stack".equals(stack)) {
            respond(exchange, 400, "text/xml", "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                    + "<Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id " + stack
                    + " does not exist</Message></Error><RequestId>req-missing</RequestId></ErrorResponse>");
            return;
        }
        Map<String, String> outputs = new java.util.LinkedHashMap<>();
        outputs.put("ApiUrl", endpoint().toString());
        outputs.put("ApiAuth", "jwt-stack".equals(stack) ? "JWT" : "AWS_IAM");
        outputs.put("OrdersQueueUrl", endpoint() + "/123456789012/prod-orders");
        outputs.put("OrdersDeadLetterQueueUrl", endpoint() + "/123456789012/prod-orders-dlq");
        outputs.put("SubscriberQueueUrl", endpoint() + "/123456789012/prod-order-confirmed-subscriber");
        outputs.put("EventBusName", "prod-order-events");
        outputs.put("EventBusArn", BUS_ARN);
        outputs.put("OrderConfirmedArchiveArn", ARCHIVE_ARN);
        outputs.put("DlqRedriveStateMachineArn", STATE_MACHINE_ARN);
        StringBuilder members = new StringBuilder();
        outputs.forEach((k, v) -> members.append("<member><OutputKey>").append(k).append("</OutputKey><OutputValue>")
                .append(v).append("</OutputValue></member>"));
        respond(exchange, 200, "text/xml", "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                + "<DescribeStacksResult><Stacks><member><StackName>" + stack + "</StackName>"
                + "<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/" + stack + "/1</StackId>"
                + "<CreationTime>2026-11-26T09:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus>"
                + "<Outputs>" + members + "</Outputs></member></Stacks></DescribeStacksResult>"
                + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeStacksResponse>");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amzn-RequestId", "req-" + System.nanoTime());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
