package dev.orderpipeline.aws;

import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.port.OrderQueue;
import dev.orderpipeline.domain.port.OrderQueueUnavailableException;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Puts accepted orders on the order queue, one message each. */
public final class SqsOrderQueue implements OrderQueue {
    public static final String ATTR_ORDER_ID = "orderId";
    public static final String ATTR_SUBMITTED_AT = "submittedAt";
    public static final String ATTR_CORRELATION_ID = "correlationId";

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsOrderQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void enqueue(PendingOrder order, String correlationId) {
        SendMessageRequest request = SendMessageRequest.builder()
                .queueUrl(queueUrl)
                .messageBody(OrderMessageJson.write(order))
                .messageAttributes(Map.of(
                        ATTR_ORDER_ID, text(order.orderId().value()),
                        ATTR_SUBMITTED_AT, text(order.submittedAt().toString()),
                        ATTR_CORRELATION_ID, text(correlationId)))
                .build();
        try {
            sqs.sendMessage(request);
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            throw new OrderQueueUnavailableException("the order queue did not accept the message", e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
