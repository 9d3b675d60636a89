package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;

/** The AWS JSON 1.1 wire behaviour: what a client sees for unsupported, malformed and ordinary requests. */
class EndpointProtocolIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static LocalEventBridge local;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        local = LocalEventBridge.start();
        http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void unsupportedOperation_whenCalledThroughSdk_thenEventBridgeExceptionWithUnknownOperation() {
        assertThatThrownBy(() -> local.events().listArchives(request -> { }))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("ListArchives is not supported by the local EventBridge endpoint");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    @Test
    void request_whenBodyIsMalformedJson_thenSerializationException() throws Exception {
        HttpResponse<String> response = post("AWSEvents.PutEvents", "{\"Entries\": [");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        JsonNode error = LocalEventBridge.parse(response.body());
        assertThat(error.get("__type").asText()).isEqualTo("SerializationException");
        assertThat(error.get("message").asText()).startsWith("Request body is not valid JSON");
    }

    @Test
    void request_whenTargetHeaderIsMissing_thenUnknownOperation() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(local.emulator().endpoint())
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(LocalEventBridge.parse(response.body()).get("__type").asText())
                .isEqualTo("UnknownOperationException");
    }

    @Test
    void response_whenOperationSucceeds_thenCarriesRequestIdAndJsonContentType() throws Exception {
        HttpResponse<String> response = post("AWSEvents.ListRules", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(response.headers().firstValue("x-amzn-RequestId"))
                .hasValueSatisfying(id -> assertThat(id).isNotBlank());
        assertThat(LocalEventBridge.parse(response.body()).get("Rules").isArray()).isTrue();
    }

    @Test
    void request_whenOperationFailsUnexpectedly_thenInternalExceptionWithStatus500() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", new AwsJsonEndpoint(Map.of("PutEvents", request -> {
            throw new IllegalStateException("simulated bug");
        })));
        server.start();
        try {
            HttpResponse<String> response = post(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    "AWSEvents.PutEvents", "{}");

            assertThat(response.statusCode()).isEqualTo(500);
            JsonNode error = LocalEventBridge.parse(response.body());
            assertThat(error.get("__type").asText()).isEqualTo("InternalException");
            assertThat(error.get("message").asText()).contains("simulated bug");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void start_whenRegionAndAccountGiven_thenArnsUseThem() {
        try (EventBridgeEmulator emulator = EventBridgeEmulator.start(0, local.sqs(), "eu-west-1", "123456789012");
             EventBridgeClient events = EventBridgeClient.builder()
                     .endpointOverride(emulator.endpoint())
                     .region(Region.EU_WEST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                     .httpClient(UrlConnectionHttpClient.create())
                     .build()) {
            assertThat(events.describeEventBus(request -> { }).arn())
                    .isEqualTo("arn:aws:events:eu-west-1:123456789012:event-bus/default");
        }
    }

    @Test
    void start_whenPortIsZero_thenListensOnAFreeLoopbackPort() {
        URI endpoint = local.emulator().endpoint();

        assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
        assertThat(endpoint.getPort()).isPositive().isEqualTo(local.emulator().port());
    }

    @Test
    void start_whenPortIsBusy_thenExceptionSaysPortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EventBridgeEmulator.start(port, local.sqs()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("port " + port + " is already in use");
        }
    }

    private static HttpResponse<String> post(String target, String body) throws Exception {
        return post(local.emulator().endpoint(), target, body);
    }

    private static HttpResponse<String> post(URI endpoint, String target, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint)
                        .timeout(TIMEOUT)
                        .header("X-Amz-Target", target)
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
