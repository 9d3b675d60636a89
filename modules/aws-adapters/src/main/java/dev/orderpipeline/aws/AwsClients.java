package dev.orderpipeline.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;

/**
 * The one place that builds AWS SDK clients, for the functions, the local runtime and the tools alike.
 *
 * <p>Every client gets an explicit region (from {@code AWS_REGION}: a missing region fails at init with a
 * clear message instead of a slow lookup), the small {@link UrlConnectionHttpClient} (no Netty or Apache client
 * in the function jars; it also starts faster), and call timeouts so a stuck dependency fails the invocation
 * rather than hanging until the Lambda timeout. The endpoint is left to the SDK's standard settings
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_DYNAMODB},
 * {@code AWS_ENDPOINT_URL_EVENTBRIDGE}, or the shared config file), unless an explicit endpoint is given, which
 * the local runtime and tests do because they cannot set environment variables in-process.
 *
 * <p>Clients are thread-safe and meant to be built once per process (a Lambda container) and reused.
 */
public final class AwsClients {
    /** Per-attempt timeout: generous for DynamoDB/SQS/EventBridge p99.9 latencies, far below the function timeout. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** Whole call including the SDK's own retries. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

    private final Region region;
    private final Optional<URI> endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;

    private AwsClients(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Region from {@code AWS_REGION}; endpoint and credentials from the SDK's standard settings. */
    public static AwsClients fromEnvironment() {
        return new AwsClients(regionFromEnvironment(), Optional.empty(), DefaultCredentialsProvider.builder().build());
    }

    /** Explicit endpoint (a local emulator, LocalStack) and credentials; region from the argument. */
    public static AwsClients forEndpoint(String region, URI endpoint, AwsCredentialsProvider credentials) {
        return new AwsClients(Region.of(region), Optional.of(endpoint), credentials);
    }

    public Region region() {
        return region;
    }

    /**
     * Configures and builds any synchronous service client, e.g. {@code clients.build(SqsClient.builder())}.
     * Generic so that a function jar carries only the service modules it uses.
     */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.region(region).credentialsProvider(credentials).httpClient(httpClient).overrideConfiguration(overrides());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .apiCallTimeout(CALL_TIMEOUT)
                .build();
    }

    private static Region regionFromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set: set it to the region of the stack, e.g. us-east-1");
        }
        return Region.of(region);
    }
}
