package dev.orderpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.json.OrderJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The orders HTTP API over {@link HttpClient}. Requests to a deployed stack are SigV4-signed with the SDK's
 * {@link AwsV4HttpSigner} for the {@code execute-api} service (the HTTP API uses IAM auth); requests to the local
 * runtime are sent as they are, because it has no authorizer.
 */
final class OrdersApi {
    static final String SIGNING_SERVICE = "execute-api";
    /** Headers {@link HttpClient} sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final URI baseUrl;
    private final Optional<Signing> signing;
    private final HttpClient http;

    /** How to sign: the credentials and region of the stack. */
    record Signing(AwsCredentialsProvider credentials, String region) {
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst();
        }

        /** The body as JSON, or empty if it is not JSON (an API Gateway error page, a proxy). */
        Optional<JsonNode> json() {
            try {
                return Optional.of(OrderJson.parse(body));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    OrdersApi(URI baseUrl, Optional<Signing> signing) {
        this.baseUrl = baseUrl;
        this.signing = signing;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static OrdersApi forTarget(Target target) {
        URI base = target.apiUrl();
        Optional<Signing> signing = target.signsApiRequests()
                ? Optional.of(new Signing(target.credentials(), target.region()))
                : Optional.empty();
        return new OrdersApi(base, signing);
    }

    URI baseUrl() {
        return baseUrl;
    }

    boolean signed() {
        return signing.isPresent();
    }

    Response post(String path, byte[] body, Map<String, String> headers) {
        return send("POST", path, body, headers);
    }

    Response get(String path) {
        return send("GET", path, null, Map.of("Accept", "application/json"));
    }

    private Response send(String method, String path, byte[] body, Map<String, String> headers) {
        URI uri = URI.create(baseUrl + path);
        Map<String, String> allHeaders = new LinkedHashMap<>(headers);
        allHeaders.put("User-Agent", "order-pipeline-cli");
        if (signing.isPresent()) {
            allHeaders = sign(method, uri, body, allHeaders, signing.get());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        allHeaders.forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                request.header(name, value);
            }
        });
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (HttpTimeoutException e) {
            throw CliException.failed("the orders API at " + baseUrl + " did not answer within 30 s; retry (with the same "
                    + "--idempotency-key for a submit)", e);
        } catch (ConnectException e) {
            throw CliException.failed("cannot reach the orders API at " + baseUrl + " (connection refused); is the local "
                    + "runtime still running (./run-local), or is --api-url right?", e);
        } catch (IOException e) {
            throw CliException.failed("request to the orders API at " + baseUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted", e);
        }
    }

    /** SigV4 for API Gateway: the signed headers (Authorization, X-Amz-Date, X-Amz-Security-Token…) to send. */
    static Map<String, String> sign(String method, URI uri, byte[] body, Map<String, String> headers, Signing signing) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(signing.credentials().resolveCredentials())
                .request(unsigned.build())
                .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, signing.region()));
        Map<String, String> result = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> result.put(name, String.join(",", values)));
        return result;
    }
}
