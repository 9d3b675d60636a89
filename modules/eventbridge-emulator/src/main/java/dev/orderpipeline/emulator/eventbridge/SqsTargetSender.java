package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends matched events to SQS targets through the real SDK client. As on EventBridge, a failed delivery never fails
 * the PutEvents entry that caused it: it is logged and counted, and {@link #failures()} is how tests notice it.
 *
 * <p>EventBridge retries a failed delivery (by default for 24 hours, up to 185 times, with back-off), and the
 * pipeline's "no OrderConfirmed lost" rests on that. Here a delivery is tried {@link #ATTEMPTS} times with a short
 * back-off, synchronously, before it counts as failed: enough for a lost response or an attempt timeout on a loaded
 * machine, which the SDK does not retry, and short enough that a deleted target queue does not stall PutEvents.
 */
final class SqsTargetSender {
    private static final System.Logger LOG = System.getLogger(SqsTargetSender.class.getName());

    private final SqsClient sqs;
    /** Queue URL by target ARN, looked up once with GetQueueUrl. */
    private final ConcurrentMap<String, String> queueUrls = new ConcurrentHashMap<>();
    static final int ATTEMPTS = 4;
    private static final long FIRST_BACK_OFF_MILLIS = 25;

    private final AtomicLong failures = new AtomicLong();

    SqsTargetSender(SqsClient sqs) {
        this.sqs = sqs;
    }

    /**
     * Delivers an event to the targets of every enabled rule of the bus that matches it and that {@code selected}
     * admits: all rules for PutEvents, the rules of {@code Destination.FilterArns} for a replay.
     */
    void route(EventBus bus, ObjectNode envelope, Predicate<Rule> selected) {
        String eventId = envelope.get("id").textValue();
        for (Rule rule : bus.rules().values()) {
            if (rule.enabled() && selected.test(rule) && rule.pattern().matches(envelope)) {
                rule.targets().values().forEach(target -> deliver(rule, target, eventId, envelope));
            }
        }
    }

    private void deliver(Rule rule, RuleTarget target, String eventId, ObjectNode envelope) {
        Optional<String> body = target.messageBody(envelope);
        if (body.isEmpty()) {
            fail(rule, target, eventId, "InputPath " + target.inputPath().orElseThrow() + " selects nothing");
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                SendMessageRequest.Builder message = SendMessageRequest.builder()
                        .queueUrl(queueUrl(target))
                        .messageBody(body.get());
                target.messageGroupId().ifPresent(message::messageGroupId);
                sqs.sendMessage(message.build());
                return;
            } catch (RuntimeException e) {
                // SdkException mostly, but whatever the client throws, it is this delivery that failed, not PutEvents.
                // The queue may have been deleted, or re-created under another URL: look it up again.
                queueUrls.remove(target.arn());
                if (attempt == ATTEMPTS || !backOff(attempt)) {
                    fail(rule, target, eventId, e.getMessage());
                    return;
                }
            }
        }
    }

    private static boolean backOff(int attempt) {
        try {
            Thread.sleep(FIRST_BACK_OFF_MILLIS << (attempt - 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    long failures() {
        return failures.get();
    }

    private String queueUrl(RuleTarget target) {
        String url = queueUrls.get(target.arn());
        if (url == null) {
            url = sqs.getQueueUrl(request -> request.queueName(target.queueName())).queueUrl();
            queueUrls.put(target.arn(), url);
        }
        return url;
    }

    private void fail(Rule rule, RuleTarget target, String eventId, String reason) {
        failures.incrementAndGet();
        LOG.log(Level.WARNING, "Delivery of event {0} to target {1} ({2}) of rule {3} on bus {4} failed: {5}",
                eventId, target.id(), target.arn(), rule.name(), rule.busName(), reason);
    }
}
