package dev.orderpipeline.bench.coldstart.probe;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.confirmation.ConfirmationHandler;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * In a fresh JVM on the confirmation zip's classpath: {@code new ConfirmationHandler()} as on Lambda, then two
 * invocations with an SQS batch of one valid order each.
 */
public final class ConfirmationProbe {
    private ConfirmationProbe() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        long spawn = Long.parseLong(args[0]);
        Map<String, String> a = ProbeSupport.args(args);
        ConfirmationHandler handler = new ConfirmationHandler();
        long constructed = System.nanoTime();
        SQSBatchResponse first = handler.handleRequest(event(ProbeSupport.read(a.get("message1")), a.get("queueArn")),
                ProbeSupport.context("ConfirmationFunction", 1024));
        long firstDone = System.nanoTime();
        SQSBatchResponse second = handler.handleRequest(event(ProbeSupport.read(a.get("message2")), a.get("queueArn")),
                ProbeSupport.context("ConfirmationFunction", 1024));
        long secondDone = System.nanoTime();
        String outcome = first.getBatchItemFailures().isEmpty() && second.getBatchItemFailures().isEmpty() ? "ok"
                : "batch item failures " + first.getBatchItemFailures().size() + "/" + second.getBatchItemFailures().size();
        ProbeSupport.report("confirmation", spawn, main, constructed, firstDone, secondDone, outcome);
        System.exit(0);
    }

    static SQSEvent event(String body, String queueArn) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setReceiptHandle(UUID.randomUUID().toString());
        m.setBody(body);
        m.setEventSource("aws:sqs");
        m.setEventSourceArn(queueArn);
        m.setAwsRegion("us-east-1");
        m.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", Long.toString(System.currentTimeMillis())));
        m.setMessageAttributes(Map.of());
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        return event;
    }
}
