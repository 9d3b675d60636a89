package dev.orderpipeline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * What Lambda's SQS event source mapping does, in-process: long-poll the queue, gather a batch (up to the batch size,
 * or until the batching window closes), invoke the handler, and delete only the messages it did not report in
 * {@code batchItemFailures} ({@code ReportBatchItemFailures}). A handler that throws leaves the whole batch on the
 * queue. Failed messages reappear after the visibility timeout, and the queue's redrive policy moves them to the
 * dead-letter queue after {@code maxReceiveCount} receives, as on AWS.
 *
 * <p>Shutdown stops receiving, lets in-flight batches finish and delete what succeeded; anything not deleted simply
 * becomes visible again, so nothing is lost.
 */
final class SqsEventSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSource.class);
    /** Short long-poll so shutdown is prompt; the loop polls again immediately. */
    private static final int WAIT_SECONDS = 1;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    /** Called once per poller: every poller is its own function instance, as concurrent Lambda invocations are. */
    private final Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> handlers;
    private final int batchSize;
    private final Duration batchingWindow;
    private final ExecutorService pollers;
    private final int pollerCount;
    private volatile boolean running = true;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong reportedFailures = new AtomicLong();

    SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, String region,
                   Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> handlers, int pollerCount, int batchSize,
                   Duration batchingWindow) {
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("batch size must be 1..10");
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.handlers = handlers;
        this.batchSize = batchSize;
        this.batchingWindow = batchingWindow;
        this.pollerCount = pollerCount;
        this.pollers = Executors.newFixedThreadPool(pollerCount, r -> new Thread(r, "sqs-event-source"));
    }

    void start() {
        for (int i = 0; i < pollerCount; i++) {
            RequestHandler<SQSEvent, SQSBatchResponse> handler = handlers.get();
            pollers.submit(() -> pollLoop(handler));
        }
    }

    long invocations() {
        return invocations.get();
    }

    long deleted() {
        return deleted.get();
    }

    long reportedFailures() {
        return reportedFailures.get();
    }

    private void pollLoop(RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        while (running) {
            try {
                List<Message> batch = gather();
                if (!batch.isEmpty()) {
                    invoke(handler, batch);
                }
            } catch (SdkException e) {
                if (running) {
                    LOG.warn("polling {} failed: {}", queueUrl, e.getMessage());
                    sleepQuietly(500);
                }
            } catch (RuntimeException e) {
                LOG.error("event source error", e);
                sleepQuietly(500);
            }
        }
    }

    private List<Message> gather() {
        List<Message> batch = new ArrayList<>(receive(batchSize, WAIT_SECONDS));
        long deadline = System.nanoTime() + batchingWindow.toNanos();
        while (!batch.isEmpty() && batch.size() < batchSize && System.nanoTime() < deadline && running) {
            List<Message> more = receive(batchSize - batch.size(), 0);
            if (more.isEmpty()) {
                sleepQuietly(Math.min(20, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
            batch.addAll(more);
        }
        return batch;
    }

    private List<Message> receive(int max, int waitSeconds) {
        ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All"));
        return response.messages();
    }

    private void invoke(RequestHandler<SQSEvent, SQSBatchResponse> handler, List<Message> batch) {
        SQSEvent event = toEvent(batch);
        Set<String> failed = new HashSet<>();
        invocations.incrementAndGet();
        try {
            SQSBatchResponse response = handler.handleRequest(event,
                    new LocalLambdaContext("ConfirmationFunction", 30, 1024));
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException | Error e) {
            LOG.error("handler failed; the whole batch of {} stays on the queue", batch.size(), e);
            batch.forEach(m -> failed.add(m.messageId()));
        }
        reportedFailures.addAndGet(failed.size());
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message m : batch) {
            if (!failed.contains(m.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!deletes.isEmpty()) {
            var result = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
            deleted.addAndGet(result.successful().size());
            if (result.hasFailed() && !result.failed().isEmpty()) {
                LOG.warn("{} processed messages could not be deleted and will be delivered again", result.failed().size());
            }
        }
    }

    SQSEvent toEvent(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.size());
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion(region);
            Map<String, String> attributes = new HashMap<>();
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            r.setAttributes(attributes);
            Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> {
                SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                a.setDataType(v.dataType());
                a.setStringValue(v.stringValue());
                messageAttributes.put(k, a);
            });
            r.setMessageAttributes(messageAttributes);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops receiving and waits for in-flight batches to finish. */
    @Override
    public void close() {
        running = false;
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(60, TimeUnit.SECONDS)) {
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
