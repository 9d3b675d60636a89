package dev.orderpipeline.local;

import static dev.orderpipeline.local.PipelineClient.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.local.TestOrders.TestOrder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Orders belong to their customer, end to end over HTTP in the local runtime's JWT mode (tokens are decoded, not
 * verified: {@link LocalAuth#WARNING}). Customer X submits without naming itself and reads its order; customer Y can
 * neither submit as X (403) nor tell X's order from an unknown id (404, the same body).
 */
class JwtOwnershipIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** An unsigned-in-spirit token: header and payload are real base64url JSON, the signature is not checked locally. */
    private static String token(String sub) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + sub + "\",\"iss\":\"https://issuer.example\"}").getBytes(StandardCharsets.UTF_8))
                + ".bm90LWNoZWNrZWQ";
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws IOException, InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI api, String body, String key, String token) throws Exception {
        return send(HttpRequest.newBuilder(api.resolve("/orders")).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    private static HttpResponse<String> get(URI api, String orderId, String token) throws Exception {
        return send(HttpRequest.newBuilder(api.resolve("/orders/" + orderId)).GET(), token);
    }

    private static String withoutCustomerId(TestOrder order) {
        ObjectNode json = (ObjectNode) parse(order.json());
        json.remove("customerId");
        return json.toString();
    }

    @Test
    void ordersInJwtMode_whenAnotherCustomerSubmitsOrReads_thenOnlyTheOwnerSeesTheOrder() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests(), LocalAuth.jwt("sub"))) {
            URI api = pipeline.httpApiUrl();
            String x = token("customer-x");
            String y = token("customer-y");
            TestOrder order = TestOrders.varied(5);
            String key = "owned-" + UUID.randomUUID();

            assertThat(post(api, withoutCustomerId(order), key, null).statusCode()).as("POST without a token").isEqualTo(401);

            String id = PipelineClient.acceptedOrderId(post(api, withoutCustomerId(order), key, x));
            await("X's order is confirmed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(api, id, x).statusCode() == 200);
            HttpResponse<String> mine = get(api, id, x);
            assertThat(parse(mine.body()).path("customerId").asText()).as("customer taken from the token").isEqualTo("customer-x");

            HttpResponse<String> foreign = get(api, id, y);
            HttpResponse<String> unknown = get(api, UUID.randomUUID().toString(), y);
            assertThat(foreign.statusCode()).as("Y reads X's order").isEqualTo(404);
            assertThat(foreign.body()).as("Y reading X's order vs an unknown id").isEqualTo(unknown.body());
            assertThat(foreign.headers().firstValue("Retry-After")).isEqualTo(unknown.headers().firstValue("Retry-After"));

            HttpResponse<String> forged = post(api, order.json().replace(order.customerId(), "customer-x"), "forged-" + key, y);
            assertThat(forged.statusCode()).as("Y submits as X (%s)", forged.body()).isEqualTo(403);
            assertThat(parse(forged.body()).path("type").asText()).isEqualTo("urn:order-pipeline:problem:forbidden");

            String ysOwn = PipelineClient.acceptedOrderId(post(api, withoutCustomerId(order.withOneMoreUnit()), key, y));
            assertThat(ysOwn).as("Y's order under the same key is Y's own, not a reuse of X's").isNotEqualTo(id);
            assertThat(get(api, id, x).statusCode()).as("X's order after Y used the same key").isEqualTo(200);
        }
    }
}
