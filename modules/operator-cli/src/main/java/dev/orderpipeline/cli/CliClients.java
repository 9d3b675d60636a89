package dev.orderpipeline.cli;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * SDK clients for one target, configured like {@code dev.orderpipeline.aws.AwsClients} (explicit region, the
 * small {@link UrlConnectionHttpClient}, call timeouts, an explicit endpoint for the local runtime) except for the
 * timeouts: the functions' 3 s per attempt (5 s socket timeout) would cut off the CLI's SQS long polls, which wait
 * up to {@value #MAX_WAIT_SECONDS} s for a message.
 */
final class CliClients {
    /** The longest SQS long poll the CLI makes ({@code WaitTimeSeconds}). */
    static final int MAX_WAIT_SECONDS = 10;
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(MAX_WAIT_SECONDS + 10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(45);

    private final Target target;
    private final SdkHttpClient httpClient;

    CliClients(Target target) {
        this.target = target;
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(ATTEMPT_TIMEOUT)
                .build();
    }

    <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.region(Region.of(target.region()))
                .credentialsProvider(target.credentials())
                .httpClient(httpClient)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .build());
        target.awsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
