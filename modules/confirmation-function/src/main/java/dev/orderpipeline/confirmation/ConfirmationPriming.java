package dev.orderpipeline.confirmation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.PrimingHttpClient;
import java.util.List;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * SnapStart priming: before Lambda snapshots the initialised function, runs the real request path once so that the
 * first batch after a restore finds its classes loaded and its code warm, as Powertools does for its own
 * idempotency store.
 *
 * <p>It hands a handler wired like the real one a synthetic batch of a valid order and a malformed message, as real
 * traffic has both. The order takes the success path: SQS event, the message's JSON, the use case, the number
 * allocator (the counter's {@code GetItem} in strict mode, the block reservation's {@code UpdateItem} in block mode),
 * the order's write, the {@code OrderConfirmed} JSON in {@code PutEvents}, the SDK's marshalling, signing and
 * unmarshalling, the log layout; the malformed message becomes the batch's one item failure. The clients are built by
 * {@link AwsClients#forPriming}: a {@link PrimingHttpClient} answers every call in-process as the services would on an
 * empty table and bus, and dummy credentials sign it. So priming writes no item, publishes no event, opens no
 * connection and never resolves the function's own credentials; its metrics go nowhere (dashboards and alarms see no
 * priming; one EMF document is serialised and dropped, to warm what a flush runs). Its log lines carry
 * {@code "priming": "true"}.
 *
 * <p>Why the use case over answered clients rather than the marshallers alone: the first batch's cost is spread over
 * Jackson, the log layout, the SDK's response handling and our own classes as much as the SDK's request side, and
 * only the real path loads exactly those.
 *
 * <p>{@link #afterRestore} has nothing to refresh, by construction: the primed objects (and their allocator, whose
 * numbers came from the in-process answer, not the real counter) are dropped when priming ends, the real clients were
 * never called (so no credentials or connections exist yet), and the handler holds no random state or cached time.
 */
final class ConfirmationPriming implements Resource {
    static final String ORDER_MESSAGE_ID = "snapstart-priming";
    static final String MALFORMED_MESSAGE_ID = "snapstart-priming-malformed";
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmationPriming.class);
    private static final String MESSAGE_BODY = "{\"messageVersion\":1,\"orderId\":\"00000000-0000-4000-8000-000000000000\","
            + "\"submittedAt\":\"2026-01-01T00:00:00.000Z\",\"order\":{\"customerId\":\"snapstart-priming\",\"currency\":\"EUR\","
            + "\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":\"12.50\"}]}}";
    /** Valid JSON without an order: a poison message, reported as a batch item failure before any SDK call. */
    private static final String MALFORMED_BODY = "{\"messageVersion\":1}";

    private final ConfirmationConfig config;
    private final AwsClients clients;

    ConfirmationPriming(ConfirmationConfig config, AwsClients clients) {
        this.config = config;
        this.clients = clients;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: see the class comment
    }

    /** Runs the synthetic batch; returns its answer and the SDK calls answered in-process. */
    Result prime() {
        PrimingHttpClient http = PrimingHttpClient.create();
        AwsClients priming = clients.forPriming(http);
        MDC.put("priming", "true");
        try (DynamoDbClient dynamoDb = priming.build(DynamoDbClient.builder());
             EventBridgeClient eventBridge = priming.build(EventBridgeClient.builder())) {
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message(ORDER_MESSAGE_ID, MESSAGE_BODY), message(MALFORMED_MESSAGE_ID, MALFORMED_BODY)));
            SQSBatchResponse response = new ConfirmationHandler(ConfirmationHandler.wire(config, dynamoDb, eventBridge),
                    result -> { }).handleRequest(event, null);
            primeMetricsSerialisation();
            MDC.put("priming", "true"); // Powertools clears the MDC when an invocation ends
            LOG.info("SnapStart priming ran a batch of two ({} failed); SDK calls answered in-process: {}",
                    response.getBatchItemFailures().size(), http.calls());
            return new Result(response, http.calls());
        } finally {
            MDC.remove("priming");
        }
    }

    private static SQSEvent.SQSMessage message(String id, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        return message;
    }

    /**
     * Builds and drops the EMF document a metrics flush writes. Priming's own metrics go nowhere, so without this the
     * first real flush after a restore pays for EMF's model classes and Jackson's serializers for them (most of what a
     * primed first invoke still loaded, by class-load logging); serialising a document without a sink prints nothing.
     */
    private static void primeMetricsSerialisation() {
        try {
            MetricsContext context = new MetricsContext();
            context.setNamespace("SnapStartPriming");
            context.putDimension(DimensionSet.of("Service", "snapstart-priming"));
            context.putMetric("OrdersConfirmed", 1, Unit.COUNT);
            context.serialize();
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("SnapStart priming could not serialise a metrics document: {}", e.toString());
        }
    }

    record Result(SQSBatchResponse batchResponse, List<String> sdkCalls) {
    }
}
