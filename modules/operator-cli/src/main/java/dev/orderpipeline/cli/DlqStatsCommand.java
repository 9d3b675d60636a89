package dev.orderpipeline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Depth of the orders dead-letter queue (visible and in-flight messages) and the age of the oldest "
                + "message, found by peeking without consuming (receive with VisibilityTimeout 0).",
                "The age is the oldest among the messages one peek sees (up to 100); on AWS the CloudWatch metric "
                        + "ApproximateAgeOfOldestMessage covers every message."},
        footer = {"", "Example:", "  orders dlq stats", "  orders --stack order-pipeline-prod --region eu-west-1 dlq stats"})
final class DlqStatsCommand extends CliCommand {
    static final int PEEK_FOR_AGE = 100;

    @Override
    public Integer call() {
        Target target = target();
        String dlqUrl = target.require(Target.Value.DEAD_LETTER_QUEUE_URL);
        try (SqsClient sqs = new CliClients(target).build(SqsClient.builder())) {
            QueueInspector dlq = new QueueInspector(sqs, dlqUrl);
            QueueInspector.Depth depth = dlq.depth();
            PrintWriter out = out();
            out.println("dead-letter queue: " + dlqUrl);
            out.println("visible:           " + depth.visible());
            out.println("in flight:         " + depth.inFlight() + (depth.inFlight() > 0 ? "   (being peeked or replayed by someone right now)" : ""));
            if (depth.delayed() > 0) {
                out.println("delayed:           " + depth.delayed());
            }
            if (depth.visible() == 0) {
                out.println("oldest message:    -   (no visible message)");
            } else {
                List<Message> messages = dlq.peek(PEEK_FOR_AGE);
                Optional<Instant> oldest = messages.stream()
                        .map(m -> m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP))
                        .filter(s -> s != null && s.matches("\\d+"))
                        .map(s -> Instant.ofEpochMilli(Long.parseLong(s)))
                        .min(Instant::compareTo);
                if (oldest.isPresent()) {
                    out.println("oldest message:    " + Text.age(Duration.between(oldest.get(), Instant.now()))
                            + " old (sent " + oldest.get() + "; oldest of " + messages.size() + " peeked)");
                } else {
                    out.println("oldest message:    unknown (" + (messages.isEmpty()
                            ? "the peek returned no message: they may all be in flight"
                            : "the queue did not report SentTimestamp") + ")");
                }
            }
            out.flush();
        }
        return 0;
    }
}
