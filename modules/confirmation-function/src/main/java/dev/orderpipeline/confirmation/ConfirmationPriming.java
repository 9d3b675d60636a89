package dev.orderpipeline.confirmation;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.EventBridgeOrderPublisher;
import dev.orderpipeline.aws.PrimingGuard;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderFingerprint;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.DependencyUnavailableException;
import dev.orderpipeline.domain.port.NumberClaim;
import java.time.Instant;
import java.util.List;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * SnapStart priming: before Lambda snapshots the initialised function, runs the real request path once so that the
 * first batch after a restore finds its classes loaded and its code warm, as Powertools does for its own
 * idempotency store.
 *
 * <p>It hands a handler wired like the real one a synthetic batch of one order (SQS event, the message's JSON, the
 * use case, the number allocator's DynamoDB call, the log layout), then the store and the publisher the order that
 * batch would have produced (the order's write, {@code TransactWriteItems} or in block mode {@code PutItem}, and the
 * {@code OrderConfirmed} JSON in {@code PutEvents}), each over clients built by {@link AwsClients#forPriming}: a {@link PrimingGuard} stops every
 * call before it leaves the process and dummy credentials sign it. So priming writes no item, publishes no event,
 * opens no connection and never resolves the function's own credentials; its metrics go nowhere (dashboards and
 * alarms see no priming). Its log lines carry {@code "priming": "true"}; the stopped calls read as an outage there.
 *
 * <p>Why the use case over stopped clients rather than the marshallers alone: the first batch's cost is spread over
 * Jackson, the log layout and our own classes as much as the SDK, and only the real path loads exactly those.
 *
 * <p>{@link #afterRestore} has nothing to refresh, by construction: the primed objects (and their allocator, which
 * never reserved a number) are dropped when priming ends, the real clients were never called (so no credentials or
 * connections exist yet), and the handler holds no random state or cached time.
 */
final class ConfirmationPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmationPriming.class);
    private static final String MESSAGE_BODY = "{\"messageVersion\":1,\"orderId\":\"00000000-0000-4000-8000-000000000000\","
            + "\"submittedAt\":\"2026-01-01T00:00:00.000Z\",\"order\":{\"customerId\":\"snapstart-priming\",\"currency\":\"EUR\","
            + "\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":\"12.50\"}]}}";

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

    /** Runs the synthetic batch and the store and publisher calls; returns the batch's answer and the stopped calls. */
    Result prime() {
        PrimingGuard guard = new PrimingGuard();
        AwsClients priming = clients.forPriming(guard);
        MDC.put("priming", "true");
        try (DynamoDbClient dynamoDb = priming.build(DynamoDbClient.builder());
             EventBridgeClient eventBridge = priming.build(EventBridgeClient.builder())) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("snapstart-priming");
            message.setBody(MESSAGE_BODY);
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message));
            SQSBatchResponse response = new ConfirmationHandler(ConfirmationHandler.wire(config, dynamoDb, eventBridge),
                    result -> { }).handleRequest(event, null);
            MDC.put("priming", "true"); // Powertools clears the MDC when an invocation ends

            // the allocator's call stopped the batch above; what the store and the publisher would have sent next
            PendingOrder pending = OrderMessageJson.read(MESSAGE_BODY);
            OrderNumber number = new OrderNumber(1);
            ConfirmedOrder confirmed = new ConfirmedOrder(pending, number, Instant.now(),
                    OrderFingerprint.of(pending.submission()));
            try {
                // the mode's own write: a transaction in strict mode, a single conditional put in block mode
                NumberClaim claim = ConfirmationConfig.MODE_BLOCK.equals(config.numberMode())
                        ? new NumberClaim.Reserved(number) : new NumberClaim.Conditional(number, 0);
                new DynamoDbOrderStore(dynamoDb, config.ordersTable()).saveNew(confirmed, claim);
            } catch (DependencyUnavailableException expected) {
                // the guard stopped the call, as intended
            }
            new EventBridgeOrderPublisher(eventBridge, config.eventBusName(), config.eventSource())
                    .publish(List.of(OrderConfirmed.of(confirmed)));
            LOG.info("SnapStart priming ran a batch of one; SDK calls stopped before transmission: {}", guard.stoppedCalls());
            return new Result(response, guard.stoppedCalls());
        } finally {
            MDC.remove("priming");
        }
    }

    record Result(SQSBatchResponse batchResponse, List<String> stoppedCalls) {
    }
}
