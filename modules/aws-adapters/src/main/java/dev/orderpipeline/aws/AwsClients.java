package dev.orderpipeline.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
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

    /** Never sent anywhere: a {@link PrimingHttpClient} answers every call in-process. */
    private static final AwsCredentialsProvider PRIMING_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("snapstart-priming", "snapstart-priming"));

    private final Region region;
    private final Optional<URI> endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;
    /** Empty except in fault-injection tests, see {@link #withInterceptors(List)}. */
    private final List<ExecutionInterceptor> interceptors;
    /** Per-service endpoints that win over {@link #endpoint}, keyed by client builder type; see {@link #withServiceEndpoint}. */
    private final Map<Class<?>, URI> serviceEndpoints;

    private AwsClients(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        this(region, endpoint, credentials, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build(), List.of(), Map.of());
    }

    private AwsClients(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials, SdkHttpClient httpClient,
                       List<ExecutionInterceptor> interceptors, Map<Class<?>, URI> serviceEndpoints) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.httpClient = httpClient;
        this.interceptors = List.copyOf(interceptors);
        this.serviceEndpoints = serviceEndpoints;
    }

    /** Region from {@code AWS_REGION}; endpoint and credentials from the SDK's standard settings. */
    public static AwsClients fromEnvironment() {
        return new AwsClients(regionFromEnvironment(), Optional.empty(), DefaultCredentialsProvider.builder().build());
    }

    /** Explicit endpoint (a local emulator, LocalStack) and credentials; region from the argument. */
    public static AwsClients forEndpoint(String region, URI endpoint, AwsCredentialsProvider credentials) {
        return new AwsClients(Region.of(region), Optional.of(endpoint), credentials);
    }

    /** Real AWS: the services' own endpoints (or the SDK's endpoint settings), explicit region and credentials. */
    public static AwsClients forRegion(String region, AwsCredentialsProvider credentials) {
        return new AwsClients(Region.of(region), Optional.empty(), credentials);
    }

    public Region region() {
        return region;
    }

    /**
     * A copy of this factory whose clients also run the given SDK interceptors (after any this one already adds);
     * region, endpoint, credentials and the HTTP client are shared.
     *
     * <p>It exists for fault injection in tests only: the local runtime's fault soak ({@code HttpFaultSoakIT}) gives
     * the two functions' clients, and only theirs, an interceptor that throttles, fails or loses the response of
     * their AWS calls, so that faults hit the production handlers exactly where a real outage would. The functions
     * themselves never call it.
     */
    public AwsClients withInterceptors(List<? extends ExecutionInterceptor> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
        all.addAll(more);
        return new AwsClients(region, endpoint, credentials, httpClient, all, serviceEndpoints);
    }

    /**
     * A copy of this factory for SnapStart priming: its clients send through {@code http}, which answers every call
     * in-process with a success response of the service's protocol and opens no connection, and they sign with fixed
     * dummy credentials, so that priming neither resolves the function's real credentials into the snapshot nor
     * touches any resource. Region, endpoint (never contacted) and interceptors are shared.
     */
    public AwsClients forPriming(PrimingHttpClient http) {
        return new AwsClients(region, endpoint, PRIMING_CREDENTIALS, http, interceptors, serviceEndpoints);
    }

    /**
     * A copy of this factory whose clients built from a builder of the given type (e.g. {@code SqsClientBuilder.class})
     * go to {@code serviceEndpoint} instead of the common endpoint: what {@code AWS_ENDPOINT_URL_SQS} does next to
     * {@code AWS_ENDPOINT_URL}. The HTTP client, credentials and interceptors are shared.
     *
     * <p>The embedded local runtime uses it to let the functions call each emulator directly: the single front-door
     * endpoint that tools use costs a second HTTP exchange per call: a quarter of the local runtime's CPU per order
     * (docs/benchmarks.md). Keyed by type rather than by name so that this class references no service module.
     */
    public AwsClients withServiceEndpoint(Class<?> builderType, URI serviceEndpoint) {
        Map<Class<?>, URI> endpoints = new HashMap<>(serviceEndpoints);
        endpoints.put(builderType, serviceEndpoint);
        return new AwsClients(region, endpoint, credentials, httpClient, interceptors, Map.copyOf(endpoints));
    }

    /**
     * Configures and builds any synchronous service client, e.g. {@code clients.build(SqsClient.builder())}.
     * Generic so that a function jar carries only the service modules it uses.
     */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.region(region).credentialsProvider(credentials).httpClient(httpClient).overrideConfiguration(overrides());
        endpointFor(builder).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private Optional<URI> endpointFor(Object builder) {
        for (Map.Entry<Class<?>, URI> e : serviceEndpoints.entrySet()) {
            if (e.getKey().isInstance(builder)) {
                return Optional.of(e.getValue());
            }
        }
        return endpoint;
    }

    private ClientOverrideConfiguration overrides() {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .apiCallTimeout(CALL_TIMEOUT);
        interceptors.forEach(overrides::addExecutionInterceptor);
        return overrides.build();
    }

    private static Region regionFromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set: set it to the region of the stack, e.g. us-east-1");
        }
        return Region.of(region);
    }
}
