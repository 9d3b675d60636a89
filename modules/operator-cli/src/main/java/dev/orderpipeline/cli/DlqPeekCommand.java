package dev.orderpipeline.cli;

import dev.orderpipeline.aws.SqsOrderQueue;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@Command(name = "peek", mixinStandardHelpOptions = true,
        description = {"Shows up to N messages of the orders dead-letter queue WITHOUT consuming them: each is received "
                + "with VisibilityTimeout 0 and never deleted, so it stays in the queue for a replay.",
                "Per message: messageId, ApproximateReceiveCount, SentTimestamp, the orderId message attribute and "
                        + "the first " + DlqPeekCommand.BODY_PREVIEW + " characters of the body (control characters escaped)."},
        footer = {"", "Example:", "  orders dlq peek -n 5"})
final class DlqPeekCommand extends CliCommand {
    static final int BODY_PREVIEW = 200;

    @Option(names = {"-n", "--max"}, paramLabel = "N", defaultValue = "10",
            description = "Show up to N messages, 1..100 (default: ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Integer call() {
        if (max < 1 || max > 100) {
            throw usage("-n must be from 1 to 100 (got " + max + ")");
        }
        Target target = target();
        String dlqUrl = target.require(Target.Value.DEAD_LETTER_QUEUE_URL);
        try (SqsClient sqs = new CliClients(target).build(SqsClient.builder())) {
            List<Message> messages = new QueueInspector(sqs, dlqUrl).peek(max);
            PrintWriter out = out();
            if (messages.isEmpty()) {
                out.println("no visible message in " + dlqUrl);
            }
            for (Message m : messages) {
                MessageAttributeValue orderId = m.messageAttributes().get(SqsOrderQueue.ATTR_ORDER_ID);
                out.println("messageId:    " + m.messageId());
                out.println("  receives:   " + m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?"));
                out.println("  sent:       " + Text.epochMillis(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)));
                out.println("  orderId:    " + (orderId != null && orderId.stringValue() != null
                        ? Text.preview(orderId.stringValue(), 80) : "-"));
                out.println("  body:       " + Text.preview(m.body(), BODY_PREVIEW));
            }
            if (!messages.isEmpty()) {
                out.println(messages.size() + " message(s) shown; nothing was consumed");
            }
            out.flush();
        }
        return 0;
    }
}
