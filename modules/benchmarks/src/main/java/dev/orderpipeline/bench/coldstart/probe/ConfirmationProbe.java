package dev.orderpipeline.bench.coldstart.probe;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.confirmation.ConfirmationHandler;
import dev.orderpipeline.confirmation.ConfirmationPrimingAccess;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * In a fresh JVM on the confirmation zip's classpath: {@code new ConfirmationHandler()} as on Lambda, with
 * {@code prime=true} the SnapStart hook Lambda runs before a snapshot, then two invocations with an SQS batch of one
 * valid order each, and {@code warm=N} more (the second message under a fresh order id each time), whose median is
 * the warm call.
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
        if (ProbeSupport.prime(a)) {
            ConfirmationPrimingAccess.beforeCheckpoint(handler);
        }
        long primed = System.nanoTime();
        SQSBatchResponse first = handler.handleRequest(event(ProbeSupport.read(a.get("message1")), a.get("queueArn")),
                ProbeSupport.context("ConfirmationFunction", 1024));
        long firstDone = System.nanoTime();
        SQSBatchResponse second = handler.handleRequest(event(ProbeSupport.read(a.get("message2")), a.get("queueArn")),
                ProbeSupport.context("ConfirmationFunction", 1024));
        long secondDone = System.nanoTime();
        String message2 = ProbeSupport.read(a.get("message2"));
        String orderId2 = a.get("orderId2");
        long[] warm = new long[ProbeSupport.warmCalls(a)];
        int warmFailures = 0;
        for (int i = 0; i < warm.length; i++) {
            String body = message2.replace(orderId2, UUID.randomUUID().toString());
            long start = System.nanoTime();
            warmFailures += handler.handleRequest(event(body, a.get("queueArn")),
                    ProbeSupport.context("ConfirmationFunction", 1024)).getBatchItemFailures().size();
            warm[i] = System.nanoTime() - start;
        }
        String outcome = first.getBatchItemFailures().isEmpty() && second.getBatchItemFailures().isEmpty()
                && warmFailures == 0 ? "ok"
                : "batch item failures " + first.getBatchItemFailures().size() + "/" + second.getBatchItemFailures().size()
                        + "/" + warmFailures;
        ProbeSupport.report("confirmation", spawn, main, constructed, primed, firstDone, secondDone,
                ProbeSupport.medianMs(warm), outcome);
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
