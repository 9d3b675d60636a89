package dev.orderpipeline.history;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.Env;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Lambda entry point for the history queue's event source mapping, configured with
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]}: the returned ids are the messages SQS keeps and redelivers.
 */
public final class OrderHistoryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final OrderHistory history;
    private final OrderHistoryMetrics metrics;

    /** Used by the Lambda runtime. */
    public OrderHistoryHandler() {
        this(Env.system(), AwsClients.fromEnvironment());
    }

    /** Used by the local runtime: same wiring, explicit endpoints and configuration. */
    public OrderHistoryHandler(Env env, AwsClients clients) {
        this(wire(OrderHistoryConfig.from(env), clients), OrderHistoryMetrics.from(env));
    }

    /** For tests. */
    OrderHistoryHandler(OrderHistory history, OrderHistoryMetrics metrics) {
        this.history = history;
        this.metrics = metrics;
    }

    private static OrderHistory wire(OrderHistoryConfig config, AwsClients clients) {
        return new OrderHistory(new DynamoDbOrderHistoryStore(clients.build(DynamoDbClient.builder()), config.historyTable()));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> handle(event));
    }

    private SQSBatchResponse handle(SQSEvent event) {
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<OrderHistory.Delivery> batch = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage m : records) {
            batch.add(new OrderHistory.Delivery(m.getMessageId(), m.getBody()));
        }
        OrderHistory.BatchResult result = history.process(batch);
        metrics.record(result);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : result.failedMessageIds()) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
