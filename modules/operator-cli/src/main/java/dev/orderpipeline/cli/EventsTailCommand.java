package dev.orderpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.json.OrderJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Follows OrderConfirmed events through the example subscriber's queue (long polling) and prints "
                + "one line per event: time, orderNumber, orderId, total and currency, eventId.",
                "CONSUMES the events: each is deleted from the subscriber queue once printed, as a subscriber would. "
                        + "That queue is the example subscriber's, so do not tail it where a real consumer reads it. "
                        + "A message that is not an OrderConfirmed event is shown and left in the queue.",
                "Delivery is at least once: the same event (same eventId) can show up twice."},
        footer = {"", "Examples:", "  orders events tail", "  orders events tail --max 1 --timeout 30s"})
final class EventsTailCommand extends CliCommand {
    @Option(names = "--max", paramLabel = "N",
            description = "Stop after N events (exit 1 if --timeout passes before N arrived).")
    Integer max;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop after this long without an event, e.g. 30s, 5m (default: follow until Ctrl-C).")
    Duration silence;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw usage("--max must be at least 1 (got " + max + ")");
        }
        Target target = target();
        String queueUrl = target.require(Target.Value.SUBSCRIBER_QUEUE_URL);
        PrintWriter out = out();
        note("following OrderConfirmed on " + DlqReplayCommand.name(queueUrl) + "; printed events are deleted from it"
                + (max == null && silence == null ? "; Ctrl-C stops" : ""));
        int printed = 0;
        long lastEventAt = System.nanoTime();
        try (SqsClient sqs = new CliClients(target).build(SqsClient.builder())) {
            while (max == null || printed < max) {
                int waitSeconds = CliClients.MAX_WAIT_SECONDS;
                if (silence != null) {
                    long remainingMillis = silence.toMillis() - (System.nanoTime() - lastEventAt) / 1_000_000;
                    if (remainingMillis <= 0) {
                        break;
                    }
                    waitSeconds = (int) Math.min(waitSeconds, Math.max(1, (remainingMillis + 999) / 1000));
                }
                int wanted = max == null ? 10 : Math.min(10, max - printed);
                int wait = waitSeconds;
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(wanted)
                        .waitTimeSeconds(wait)).messages();
                for (Message m : messages) {
                    Optional<String> line = describe(m.body());
                    if (line.isPresent()) {
                        out.println(line.get());
                        out.flush();
                        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                        printed++;
                        lastEventAt = System.nanoTime();
                    } else {
                        out.println("? " + m.messageId() + " is not an OrderConfirmed event, left in the queue: "
                                + Text.preview(m.body(), 120));
                        out.flush();
                    }
                }
            }
        }
        if (max != null && printed < max) {
            throw CliException.failed("only " + printed + " of " + max + " event(s) arrived before " + Text.age(silence)
                    + " without events");
        }
        return 0;
    }

    /**
     * {@code 2026-11-26T10:00:01Z  ORD-0000042  3f1c…  25.99 EUR  event 9b2e…}, from the EventBridge envelope
     * ({@code time}, {@code detail-type}) and its OrderConfirmed v1 {@code detail}.
     */
    static Optional<String> describe(String body) {
        JsonNode envelope;
        try {
            envelope = OrderJson.parse(body);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        JsonNode detail = envelope.get("detail");
        if (!"OrderConfirmed".equals(text(envelope, "detail-type")) || detail == null || !detail.isObject()) {
            return Optional.empty();
        }
        return Optional.of(String.join("  ",
                text(envelope, "time"),
                text(detail, "orderNumber"),
                text(detail, "orderId"),
                text(detail, "total") + " " + text(detail, "currency"),
                "event " + text(detail, "eventId")));
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? Text.preview(json.get(field).asText(), 80) : "-";
    }
}
