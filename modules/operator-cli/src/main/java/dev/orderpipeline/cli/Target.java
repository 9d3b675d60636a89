package dev.orderpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.json.MalformedJsonException;
import dev.orderpipeline.domain.json.OrderJson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * The pipeline one invocation talks to: the running local runtime (its endpoints file), or a deployed stack (its
 * CloudFormation outputs), with explicit {@code --api-url}, {@code --endpoint}, {@code --queue-url},
 * {@code --dlq-url} and {@code --subscriber-queue-url} overriding either.
 *
 * <p>The endpoints file or the stack is read lazily, on the first value a command needs that no flag gives, so
 * {@code orders --api-url http://localhost:8080 submit order.json} works without a running runtime's file.
 */
final class Target {
    static final String NO_LOCAL_RUNTIME =
            "no local runtime is running (start it with ./run-local) — or target a stack with --stack NAME";

    /** A value of the pipeline: its key in the local endpoints file, its stack output key, the flag that overrides it. */
    enum Value {
        API_URL("apiUrl", "ApiUrl", "--api-url"),
        ORDERS_QUEUE_URL("ordersQueueUrl", "OrdersQueueUrl", "--queue-url"),
        DEAD_LETTER_QUEUE_URL("deadLetterQueueUrl", "OrdersDeadLetterQueueUrl", "--dlq-url"),
        SUBSCRIBER_QUEUE_URL("subscriberQueueUrl", "SubscriberQueueUrl", "--subscriber-queue-url"),
        EVENT_BUS_ARN("eventBusArn", "EventBusArn", null),
        ARCHIVE_ARN("orderConfirmedArchiveArn", "OrderConfirmedArchiveArn", null),
        STATE_MACHINE_ARN(null, "DlqRedriveStateMachineArn", null),
        API_AUTH(null, "ApiAuth", null);

        final String localKey;
        final String outputKey;
        final String flag;

        Value(String localKey, String outputKey, String flag) {
            this.localKey = localKey;
            this.outputKey = outputKey;
            this.flag = flag;
        }
    }

    private final TargetOptions options;
    private final Map<String, String> environment;
    private final EnumMap<Value, String> explicit = new EnumMap<>(Value.class);
    /** What the endpoints file or the stack outputs say; null until first needed. */
    private Map<Value, String> resolved;
    private LocalRuntimeFile localFile;

    private Target(TargetOptions options, Map<String, String> environment) {
        this.options = options;
        this.environment = environment;
        if (options.apiUrl() != null) {
            explicit.put(Value.API_URL, stripTrailingSlash(options.apiUrl().toString()));
        }
        put(Value.ORDERS_QUEUE_URL, options.queueUrl());
        put(Value.DEAD_LETTER_QUEUE_URL, options.dlqUrl());
        put(Value.SUBSCRIBER_QUEUE_URL, options.subscriberQueueUrl());
    }

    static Target resolve(TargetOptions options, Map<String, String> environment) {
        if (options.stack() != null && options.stack().isBlank()) {
            throw CliException.usage("--stack needs a stack name");
        }
        return new Target(options, environment);
    }

    private void put(Value value, String s) {
        if (s != null && !s.isBlank()) {
            explicit.put(value, s.trim());
        }
    }

    boolean isStack() {
        return options.stack() != null;
    }

    /** For messages: "stack prod (eu-west-1)" or "the local runtime". */
    String describe() {
        return isStack() ? "stack " + options.stack() + " (" + region() + ")" : "the local runtime";
    }

    String stackName() {
        return options.stack();
    }

    String region() {
        if (options.region() != null && !options.region().isBlank()) {
            return options.region();
        }
        if (isStack()) {
            return firstNonBlank(environment.get("AWS_REGION"), environment.get("AWS_DEFAULT_REGION"))
                    .orElseThrow(() -> CliException.usage("--stack needs a region: pass --region or set AWS_REGION"));
        }
        if (options.endpoint() != null) {
            return firstNonBlank(environment.get("AWS_REGION"), environment.get("AWS_DEFAULT_REGION")).orElse("us-east-1");
        }
        return local().region();
    }

    /** The AWS endpoint to use; empty = the SDK's standard resolution (real AWS, or AWS_ENDPOINT_URL). */
    Optional<URI> awsEndpoint() {
        if (options.endpoint() != null) {
            return Optional.of(options.endpoint());
        }
        return isStack() ? Optional.empty() : Optional.of(local().awsEndpoint());
    }

    /** The local emulators accept any credentials; a stack needs the operator's own. */
    AwsCredentialsProvider credentials() {
        return isStack()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    Optional<String> find(Value value) {
        String v = explicit.get(value);
        if (v != null) {
            return Optional.of(v);
        }
        return Optional.ofNullable(resolved().get(value));
    }

    String require(Value value) {
        return find(value).orElseThrow(() -> CliException.usage(describe() + " has no "
                + (isStack() ? "output " + value.outputKey : value.localKey)
                + (value.flag != null ? "; pass " + value.flag : "")
                + (isStack() ? " (is the stack fully deployed from the current template.yaml?)" : "")));
    }

    URI apiUrl() {
        String url = require(Value.API_URL);
        try {
            URI uri = URI.create(stripTrailingSlash(url));
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CliException.usage("the API URL '" + url + "' is not valid: " + e.getMessage());
        }
    }

    /**
     * Whether API requests must be SigV4-signed: always for a stack (its HTTP API takes IAM auth). A stack deployed
     * with JWT auth is refused rather than sent unsigned requests that can only fail.
     */
    boolean signsApiRequests() {
        if (!isStack()) {
            return false;
        }
        String auth = find(Value.API_AUTH).orElse("AWS_IAM");
        if (!"AWS_IAM".equals(auth)) {
            throw CliException.usage("the API of " + describe() + " takes " + auth + " bearer tokens, and the CLI only "
                    + "signs requests for IAM auth (SigV4); call the API with your token, e.g. curl -H 'Authorization: Bearer …'");
        }
        return true;
    }

    private Map<Value, String> resolved() {
        if (resolved == null) {
            resolved = isStack() ? stackOutputs() : local().values();
        }
        return resolved;
    }

    private LocalRuntimeFile local() {
        if (localFile == null) {
            localFile = LocalRuntimeFile.read(options.localFile());
        }
        return localFile;
    }

    private Map<Value, String> stackOutputs() {
        CliClients clients = new CliClients(this);
        Stack stack;
        try (CloudFormationClient cloudFormation = clients.build(CloudFormationClient.builder())) {
            stack = cloudFormation.describeStacks(b -> b.stackName(options.stack())).stacks().stream().findFirst()
                    .orElseThrow(() -> CliException.usage("stack " + options.stack() + " was not found in " + region()));
        } catch (CloudFormationException e) {
            if (e.awsErrorDetails() != null && String.valueOf(e.awsErrorDetails().errorMessage()).contains("does not exist")) {
                throw CliException.usage("stack " + options.stack() + " does not exist in " + region()
                        + " (check --stack and --region)", e);
            }
            throw CliException.failed("cannot read the outputs of stack " + options.stack() + ": " + AwsErrors.describe(e), e);
        } catch (SdkClientException e) {
            throw CliException.usage("cannot read the outputs of stack " + options.stack() + ": " + AwsErrors.describe(e), e);
        }
        Map<Value, String> values = new EnumMap<>(Value.class);
        for (Output output : stack.outputs()) {
            for (Value v : Value.values()) {
                if (v.outputKey.equals(output.outputKey()) && output.outputValue() != null) {
                    values.put(v, v == Value.API_URL ? stripTrailingSlash(output.outputValue()) : output.outputValue());
                }
            }
        }
        return values;
    }

    private static Optional<String> firstNonBlank(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code ~/.order-pipeline/local-runtime.json}, as {@code dev.orderpipeline.local.EndpointsFile} writes it. */
    record LocalRuntimeFile(Path path, long pid, String region, URI awsEndpoint, Map<Value, String> values) {
        static LocalRuntimeFile read(Path path) {
            JsonNode json;
            try {
                json = OrderJson.parse(Files.readAllBytes(path));
            } catch (NoSuchFileException e) {
                throw CliException.usage(NO_LOCAL_RUNTIME);
            } catch (IOException e) {
                throw CliException.usage("cannot read " + path + " (" + e.getMessage() + "); restart the local runtime "
                        + "(./run-local) or pass --local-file", e);
            } catch (MalformedJsonException e) {
                throw CliException.usage(path + " is not valid JSON (" + e.getMessage() + "); restart the local runtime "
                        + "(./run-local), which rewrites it", e);
            }
            JsonNode pid = json.get("pid");
            if (pid == null || !pid.canConvertToLong()
                    || !ProcessHandle.of(pid.asLong()).map(ProcessHandle::isAlive).orElse(false)) {
                // a file left behind by a runtime that was killed: the process it names is gone
                throw CliException.usage(NO_LOCAL_RUNTIME);
            }
            Map<Value, String> values = new EnumMap<>(Value.class);
            for (Value v : Value.values()) {
                if (v.localKey != null && json.hasNonNull(v.localKey)) {
                    values.put(v, v == Value.API_URL ? stripTrailingSlash(json.get(v.localKey).asText())
                            : json.get(v.localKey).asText());
                }
            }
            String region = json.hasNonNull("region") ? json.get("region").asText() : "us-east-1";
            if (!json.hasNonNull("awsEndpoint")) {
                throw CliException.usage(path + " has no awsEndpoint; restart the local runtime (./run-local)");
            }
            URI endpoint;
            try {
                endpoint = URI.create(json.get("awsEndpoint").asText());
            } catch (IllegalArgumentException e) {
                throw CliException.usage(path + " has an invalid awsEndpoint; restart the local runtime (./run-local)", e);
            }
            return new LocalRuntimeFile(path, pid.asLong(), region, endpoint, values);
        }
    }
}
