package dev.orderpipeline.cli;

import dev.orderpipeline.aws.SqsOrderQueue;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskResponse;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Moves the messages of the orders dead-letter queue back to the orders queue, to be confirmed "
                + "again. Replaying is safe: the confirmation stage is idempotent by orderId, so an order that was "
                + "confirmed after all is not numbered twice. Fix the cause first (see `orders dlq peek`), or the "
                + "messages return to the dead-letter queue after three more failed receives.",
                "",
                "Default: an SQS message move task (StartMessageMoveTask from the dead-letter queue to the orders queue, "
                        + "at --rate messages per second). It runs inside SQS; --wait follows it.",
                "--max N: a move task cannot stop after N messages, so instead the CLI receives up to N messages from "
                        + "the dead-letter queue and re-sends each to the orders queue (same body and message "
                        + "attributes), deleting it from the dead-letter queue only after the send succeeded. A crash "
                        + "in between leaves a duplicate, never a loss.",
                "--via-state-machine: starts the stack's DlqRedriveStateMachine instead (deployed stacks only), which "
                        + "runs the move task and announces the outcome on the event bus."},
        footer = {"", "Examples:", "  orders dlq replay --dry-run", "  orders dlq replay --rate 5 --wait",
                "  orders dlq replay --max 1", "  orders --stack order-pipeline-prod dlq replay --via-state-machine --wait"})
final class DlqReplayCommand extends CliCommand {
    static final int MAX_RATE = 500;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "10",
            description = "At most N messages per second, 1.." + MAX_RATE + " (default: ${DEFAULT-VALUE}): keeps a large "
                    + "replay from flooding the confirmation function and the order-number counter.")
    int rate;

    @Option(names = "--max", paramLabel = "N",
            description = "Move at most N messages, one by one through the CLI (receive, send, then delete) instead of "
                    + "a move task, which cannot be limited to a count.")
    Integer max;

    @Option(names = "--dry-run", description = "Print what would be moved, and change nothing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Follow the move task (or state machine execution) until it ends: exit 0 "
            + "when COMPLETED, 1 when FAILED or CANCELLED.")
    boolean waitForEnd;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long --wait waits, e.g. 90s, 10m (default: ${DEFAULT-VALUE}). The move task itself "
                    + "keeps running after a timeout.")
    Duration timeout;

    @Option(names = "--via-state-machine", description = "Start an execution of the stack's DlqRedriveStateMachine "
            + "(input {\"maxNumberOfMessagesPerSecond\": RATE}) instead of starting the move task directly. "
            + "Needs --stack.")
    boolean viaStateMachine;

    @Override
    public Integer call() {
        if (rate < 1 || rate > MAX_RATE) {
            throw usage("--rate must be from 1 to " + MAX_RATE + " messages per second (got " + rate + ")");
        }
        if (max != null && max < 1) {
            throw usage("--max must be at least 1 (got " + max + ")");
        }
        if (viaStateMachine && max != null) {
            throw usage("--via-state-machine and --max cannot be combined: the state machine moves every message");
        }
        if (viaStateMachine && !root().targetsStack()) {
            throw usage("--via-state-machine starts the DlqRedriveStateMachine of a deployed stack: target one with "
                    + "--stack NAME (the local runtime has no Step Functions; use a plain `orders dlq replay`)");
        }
        Target target = target();
        if (viaStateMachine) {
            return viaStateMachine(target);
        }
        String dlqUrl = target.require(Target.Value.DEAD_LETTER_QUEUE_URL);
        String queueUrl = target.require(Target.Value.ORDERS_QUEUE_URL);
        try (SqsClient sqs = new CliClients(target).build(SqsClient.builder())) {
            QueueInspector dlq = new QueueInspector(sqs, dlqUrl);
            QueueInspector.Depth depth = dlq.depth();
            if (max != null) {
                return moveOneByOne(sqs, dlqUrl, queueUrl, depth);
            }
            return moveTask(sqs, dlq, dlqUrl, queueUrl, depth);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // message move task
    // ---------------------------------------------------------------------------------------------------------------

    private int moveTask(SqsClient sqs, QueueInspector dlq, String dlqUrl, String queueUrl, QueueInspector.Depth depth) {
        PrintWriter out = out();
        String dlqArn = dlq.arn();
        String queueArn = new QueueInspector(sqs, queueUrl).arn();
        // ElasticMQ (the local runtime) never answers a move task whose source is not a dead-letter queue (the call
        // times out), and SQS refuses it: check first, and say what is wrong.
        List<String> sources = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlqUrl)).queueUrls();
        if (sources.isEmpty()) {
            throw CliException.usage(name(dlqUrl) + " is not the dead-letter queue of any queue (no queue's redrive "
                    + "policy names it), so SQS cannot move messages out of it; check --dlq-url");
        }
        if (sources.stream().noneMatch(s -> name(s).equals(name(queueUrl)))) {
            note("warning: " + name(dlqUrl) + " is the dead-letter queue of " + sources.stream().map(DlqReplayCommand::name).toList()
                    + ", not of " + name(queueUrl) + "; moving to " + name(queueUrl) + " as asked");
        }
        Optional<ListMessageMoveTasksResultEntry> running = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn).maxResults(10))
                .results().stream().filter(t -> "RUNNING".equals(t.status())).findFirst();
        if (running.isPresent()) {
            throw CliException.failed("a move task is already RUNNING for " + name(dlqUrl) + " (" + progress(running.get())
                    + "); wait for it to end, or cancel it: aws sqs cancel-message-move-task --task-handle "
                    + running.get().taskHandle());
        }
        if (dryRun) {
            out.println("dry run: would start a message move task: ~" + depth.visible() + " message(s) from "
                    + name(dlqUrl) + " to " + name(queueUrl) + " at up to " + rate + " message(s)/s"
                    + inFlight(depth) + "; nothing was changed");
            out.flush();
            return 0;
        }
        if (depth.visible() == 0) {
            out.println("nothing to replay: " + name(dlqUrl) + " has no visible message" + inFlight(depth));
            out.flush();
            return 0;
        }
        long startedAt = System.currentTimeMillis();
        StartMessageMoveTaskResponse started = sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn).destinationArn(queueArn)
                .maxNumberOfMessagesPerSecond(rate)
                // a stuck endpoint must not hold the operator for the client's full call timeout
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(15))));
        out.println("started move task: ~" + depth.visible() + " message(s) from " + name(dlqUrl) + " to " + name(queueUrl)
                + " at up to " + rate + " message(s)/s");
        out.println("task handle: " + started.taskHandle());
        out.flush();
        if (!waitForEnd) {
            out.println("follow it with: orders dlq stats   (or aws sqs list-message-move-tasks --source-arn " + dlqArn + ")");
            out.flush();
            return 0;
        }
        return waitForMoveTask(sqs, dlqArn, queueUrl, started.taskHandle(), startedAt);
    }

    private int waitForMoveTask(SqsClient sqs, String dlqArn, String queueUrl, String handle, long startedAt) {
        PrintWriter out = out();
        Instant deadline = Instant.now().plus(timeout);
        String lastProgress = "";
        while (true) {
            List<ListMessageMoveTasksResultEntry> tasks =
                    sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn).maxResults(10)).results();
            Optional<ListMessageMoveTasksResultEntry> task = tasks.stream().filter(t -> handle.equals(t.taskHandle())).findFirst();
            if (task.isEmpty()) {
                // SQS returns the handle for RUNNING tasks only: a finished task is the newest one started since ours
                task = tasks.stream()
                        .filter(t -> t.startedTimestamp() != null && t.startedTimestamp() >= startedAt - 60_000)
                        .findFirst();
            }
            if (task.isEmpty()) {
                // say what is known: the list no longer shows the task; why (a cancel some backends drop, newer
                // tasks pushing it out of the list) the list does not say
                throw CliException.failed("the move task " + handle + " is no longer listed by ListMessageMoveTasks for "
                        + dlqArn + " and no task started since is, so its outcome is unknown: check `orders dlq stats` and"
                        + " aws sqs list-message-move-tasks --source-arn " + dlqArn);
            }
            ListMessageMoveTasksResultEntry t = task.get();
            String progress = progress(t);
            if (!progress.equals(lastProgress)) {
                out.println(t.status() + ": " + progress);
                out.flush();
                lastProgress = progress;
            }
            switch (t.status()) {
                case "COMPLETED" -> {
                    out.println("move task COMPLETED: " + moved(t) + " message(s) moved back to " + name(queueUrl));
                    out.flush();
                    return 0;
                }
                case "FAILED" -> throw CliException.failed("the move task FAILED after moving " + moved(t) + " message(s): "
                        + Optional.ofNullable(t.failureReason()).orElse("no reason given")
                        + "; the messages not moved are still in the dead-letter queue");
                case "CANCELLED" -> throw CliException.failed("the move task was CANCELLED after moving " + moved(t)
                        + " message(s); the rest are still in the dead-letter queue");
                default -> {
                    // RUNNING or CANCELLING
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw CliException.failed("the move task is still " + t.status() + " after " + Text.age(timeout) + " ("
                        + progress + "); it keeps running in SQS: check again with `orders dlq stats`, or cancel it with "
                        + "aws sqs cancel-message-move-task --task-handle " + handle);
            }
            sleep(pollInterval());
        }
    }

    private static String progress(ListMessageMoveTasksResultEntry t) {
        Long toMove = t.approximateNumberOfMessagesToMove();
        // ElasticMQ reports 0 to move once a task completed; show a total only while it means something
        return "moved " + moved(t) + (toMove != null && toMove > 0 && toMove >= moved(t) ? "/" + toMove : "");
    }

    private static long moved(ListMessageMoveTasksResultEntry t) {
        return t.approximateNumberOfMessagesMoved() == null ? 0 : t.approximateNumberOfMessagesMoved();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // --max: receive, send, delete
    // ---------------------------------------------------------------------------------------------------------------

    private int moveOneByOne(SqsClient sqs, String dlqUrl, String queueUrl, QueueInspector.Depth depth) {
        PrintWriter out = out();
        if (dryRun) {
            out.println("dry run: would move up to " + max + " of ~" + depth.visible() + " message(s) one by one from "
                    + name(dlqUrl) + " to " + name(queueUrl) + " at up to " + rate + " message(s)/s" + inFlight(depth)
                    + "; nothing was changed");
            out.flush();
            return 0;
        }
        long intervalNanos = 1_000_000_000L / rate;
        long nextSendAt = System.nanoTime();
        int moved = 0;
        while (moved < max) {
            int wanted = Math.min(10, max - moved);
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(dlqUrl)
                    .maxNumberOfMessages(wanted)
                    // hidden from other consumers while this command re-sends them; visible again if it dies
                    .visibilityTimeout(60)
                    .waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                long now = System.nanoTime();
                if (now < nextSendAt) {
                    sleep(Duration.ofNanos(nextSendAt - now));
                }
                nextSendAt = Math.max(now, nextSendAt) + intervalNanos;
                String newId;
                try {
                    newId = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(m.body())
                            .messageAttributes(copy(m.messageAttributes()))).messageId();
                } catch (SdkException e) {
                    throw CliException.failed("re-sending message " + m.messageId() + " to " + name(queueUrl) + " failed ("
                            + AwsErrors.describe(e) + "); it stays in the dead-letter queue (visible again within 60 s); "
                            + moved + " message(s) were moved before", e);
                }
                try {
                    sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
                } catch (SdkException e) {
                    throw CliException.failed("message " + m.messageId() + " was re-sent (as " + newId + ") but could not "
                            + "be deleted from the dead-letter queue (" + AwsErrors.describe(e) + "); a later replay will "
                            + "send it again, which is harmless: confirmation is idempotent by orderId", e);
                }
                moved++;
                MessageAttributeValue orderId = m.messageAttributes().get(SqsOrderQueue.ATTR_ORDER_ID);
                out.println("moved " + m.messageId() + " -> " + newId
                        + (orderId != null && orderId.stringValue() != null ? "  orderId " + Text.preview(orderId.stringValue(), 80) : ""));
                out.flush();
            }
        }
        out.println("moved " + moved + " message(s) from " + name(dlqUrl) + " to " + name(queueUrl) + " one by one"
                + (moved < max ? " (no more visible messages)" : ""));
        out.flush();
        return 0;
    }

    /** Rebuilt rather than passed through: received values carry fields SendMessage must not get (the list values). */
    private static Map<String, MessageAttributeValue> copy(Map<String, MessageAttributeValue> attributes) {
        Map<String, MessageAttributeValue> copy = new HashMap<>();
        attributes.forEach((name, v) -> copy.put(name, MessageAttributeValue.builder()
                .dataType(v.dataType()).stringValue(v.stringValue()).binaryValue(v.binaryValue()).build()));
        return copy;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // --via-state-machine
    // ---------------------------------------------------------------------------------------------------------------

    private int viaStateMachine(Target target) {
        PrintWriter out = out();
        String stateMachineArn = target.require(Target.Value.STATE_MACHINE_ARN);
        String input = "{\"maxNumberOfMessagesPerSecond\":" + rate + "}";
        if (dryRun) {
            out.println("dry run: would start an execution of " + stateMachineArn + " with input " + input
                    + "; nothing was changed");
            out.flush();
            return 0;
        }
        String name = "orders-cli-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (SfnClient sfn = new CliClients(target).build(SfnClient.builder())) {
            String executionArn = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input))
                    .executionArn();
            out.println("started execution " + name + " of the DlqRedriveStateMachine (input " + input + ")");
            out.println("execution: " + executionArn);
            out.flush();
            if (!waitForEnd) {
                out.println("follow it with: aws stepfunctions describe-execution --execution-arn " + executionArn);
                out.flush();
                return 0;
            }
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn));
                ExecutionStatus status = execution.status();
                if (status == ExecutionStatus.SUCCEEDED) {
                    out.println("execution SUCCEEDED" + (execution.output() != null ? ": " + Text.preview(execution.output(), 300) : ""));
                    out.flush();
                    return 0;
                }
                if (status != ExecutionStatus.RUNNING && status != ExecutionStatus.PENDING_REDRIVE) {
                    throw CliException.failed("the DlqRedriveStateMachine execution ended " + execution.statusAsString()
                            + ": " + Optional.ofNullable(execution.error()).orElse("no error") + " — "
                            + Optional.ofNullable(execution.cause()).map(c -> Text.preview(c, 300)).orElse("no cause given"));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw CliException.failed("the execution is still RUNNING after " + Text.age(timeout)
                            + "; it keeps running: aws stepfunctions describe-execution --execution-arn " + executionArn);
                }
                sleep(Duration.ofSeconds(5));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Duration pollInterval() {
        return target().isStack() ? Duration.ofSeconds(5) : Duration.ofSeconds(1);
    }

    private static String inFlight(QueueInspector.Depth depth) {
        return depth.inFlight() > 0 ? " (" + depth.inFlight() + " more in flight, not moved now)" : "";
    }

    /** The queue name: the last segment of its URL. */
    static String name(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted", e);
        }
    }
}
