package dev.orderpipeline.confirmation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.StrictNumberAllocator;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.confirmation.ConfirmOrders;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Lambda entry point for the order queue's event source mapping, which must be configured with
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]}: the returned failures are the messages SQS keeps and
 * redelivers; every other message of the batch is deleted. Without that setting a partial failure would be read as
 * success and orders would be lost.
 */
public final class ConfirmationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmationHandler.class);

    private final ConfirmOrders confirmOrders;
    private final ConfirmationMetrics metrics;
    /** Held here because CRaC contexts may keep registered resources only weakly. */
    private final ConfirmationPriming priming;

    /** Used by the Lambda runtime; primes the request path before a SnapStart snapshot ({@link ConfirmationPriming}). */
    public ConfirmationHandler() {
        this(Env.system(), AwsClients.fromEnvironment());
        Core.getGlobalContext().register(priming);
    }

    /** Used by the local runtime: same wiring, explicit endpoints and configuration. */
    public ConfirmationHandler(Env env, AwsClients clients) {
        this(ConfirmationConfig.from(env), clients, PowertoolsConfirmationMetrics.from(env));
    }

    private ConfirmationHandler(ConfirmationConfig config, AwsClients clients, ConfirmationMetrics metrics) {
        this.confirmOrders = wire(config, clients.build(DynamoDbClient.builder()), clients.build(EventBridgeClient.builder()));
        this.metrics = metrics;
        this.priming = new ConfirmationPriming(config, clients);
    }

    /** For tests: the production wiring, with the batch results going to {@code metrics}. */
    ConfirmationHandler(Env env, AwsClients clients, ConfirmationMetrics metrics) {
        this(ConfirmationConfig.from(env), clients, metrics);
    }

    /** For tests. */
    ConfirmationHandler(ConfirmOrders confirmOrders, ConfirmationMetrics metrics) {
        this.confirmOrders = confirmOrders;
        this.metrics = metrics;
        this.priming = null;
    }

    /** The SnapStart hook of a handler built by a public constructor, {@code null} otherwise. */
    ConfirmationPriming priming() {
        return priming;
    }

    /** The production use case over the given clients. */
    static ConfirmOrders wire(ConfirmationConfig config, DynamoDbClient dynamoDb, EventBridgeClient eventBridge) {
        OrderNumberAllocator allocator = ConfirmationConfig.MODE_BLOCK.equals(config.numberMode())
                ? new BlockNumberAllocator(dynamoDb, config.ordersTable(), config.blockSize())
                : new StrictNumberAllocator(dynamoDb, config.ordersTable());
        return new ConfirmOrders(
                new DynamoDbOrderStore(dynamoDb, config.ordersTable()),
                allocator,
                new EventBridgeOrderPublisher(eventBridge, config.eventBusName(), config.eventSource()),
                Clock.systemUTC());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> handle(event));
    }

    private SQSBatchResponse handle(SQSEvent event) {
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        // the queue's wire format is read here, in the adapter; the use case takes typed orders or poison markers
        List<QueuedOrder> batch = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage m : records) {
            batch.add(OrderMessageJson.toQueuedOrder(m.getMessageId(), m.getBody()));
        }
        List<String> failed;
        BatchResult result;
        try {
            result = confirmOrders.confirm(batch);
            failed = result.failedMessageIds();
        } catch (RuntimeException e) {
            // A bug, not a bad message: keep the whole batch on the queue rather than lose any of it.
            LOG.error("unexpected error; reporting all {} messages of the batch as failed", batch.size(), e);
            failed = batch.stream().map(QueuedOrder::messageId).toList();
            result = null;
        }
        if (result != null) {
            metrics.record(result);
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>(failed.size());
        for (String id : failed) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
