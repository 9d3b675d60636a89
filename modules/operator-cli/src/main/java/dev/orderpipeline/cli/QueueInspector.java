package dev.orderpipeline.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Read-only looks at a queue: its depth, and its messages without consuming them. */
final class QueueInspector {
    /** The most receive calls one peek makes: each returns up to 10 messages, often ones it returned before. */
    private static final int MAX_PEEK_CALLS = 30;

    record Depth(long visible, long inFlight, long delayed) {
    }

    private final SqsClient sqs;
    private final String queueUrl;

    QueueInspector(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    Depth depth() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return new Depth(number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
    }

    String arn() {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * Up to {@code max} distinct messages, received with a visibility timeout of 0 so they stay visible to everyone
     * else: nothing is consumed. Each look still counts as a receive (ApproximateReceiveCount grows), which matters
     * only for a queue with a redrive policy of its own; the orders dead-letter queue has none.
     */
    List<Message> peek(int max) {
        Map<String, Message> seen = new LinkedHashMap<>();
        int calls = 0;
        int callsWithoutNews = 0;
        while (seen.size() < max && calls < MAX_PEEK_CALLS && callsWithoutNews < 2) {
            calls++;
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(Math.min(10, Math.max(1, max - seen.size() + 1)))
                    .visibilityTimeout(0)
                    // a long poll of 1 s asks every SQS server (a short poll samples a few and may miss messages)
                    .waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                            MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN)
                    .messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                break;
            }
            int before = seen.size();
            for (Message m : batch) {
                if (seen.size() < max) {
                    seen.putIfAbsent(m.messageId(), m);
                }
            }
            callsWithoutNews = seen.size() == before ? callsWithoutNews + 1 : 0;
        }
        return new ArrayList<>(seen.values());
    }

    private static long number(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
