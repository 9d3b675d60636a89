package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** The SQS event source against an in-memory queue: what it invokes, and what it deletes afterwards. */
class SqsEventSourceTest {

    @Test
    void start_whenThreePollers_thenEachPollerInvokesItsOwnHandlerInstance() {
        FakeQueue queue = new FakeQueue(30);
        AtomicInteger created = new AtomicInteger();
        Map<RequestHandler<SQSEvent, SQSBatchResponse>, Set<String>> threadsByHandler = new ConcurrentHashMap<>();
        Map<String, Set<Object>> handlersByThread = new ConcurrentHashMap<>();
        SqsEventSource source = new SqsEventSource(queue, "queue-url", "arn:aws:sqs:us-east-1:000000000000:orders",
                "us-east-1", () -> {
                    created.incrementAndGet();
                    return new RequestHandler<SQSEvent, SQSBatchResponse>() {
                        @Override
                        public SQSBatchResponse handleRequest(SQSEvent event, com.amazonaws.services.lambda.runtime.Context c) {
                            String thread = Thread.currentThread().getName() + "#" + Thread.currentThread().getId();
                            threadsByHandler.computeIfAbsent(this, k -> ConcurrentHashMap.newKeySet()).add(thread);
                            handlersByThread.computeIfAbsent(thread, k -> ConcurrentHashMap.newKeySet()).add(this);
                            return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
                        }
                    };
                }, 3, 10, Duration.ZERO);
        try {
            source.start();
            await("all 30 messages handled and deleted").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(queue.deleted).as("deleted receipt handles").hasSize(30));
        } finally {
            source.close();
        }

        assertThat(created).as("handler instances created for 3 pollers").hasValue(3);
        assertThat(threadsByHandler.values()).as("pollers per handler instance").allSatisfy(t -> assertThat(t).hasSize(1));
        assertThat(handlersByThread.values()).as("handler instances per poller").allSatisfy(h -> assertThat(h).hasSize(1));
    }

    @Test
    void invoke_whenHandlerReportsOneItemFailure_thenEveryOtherMessageIsDeleted() {
        FakeQueue queue = new FakeQueue(3);
        SqsEventSource source = new SqsEventSource(queue, "queue-url", "arn:aws:sqs:us-east-1:000000000000:orders",
                "us-east-1", () -> (event, context) -> SQSBatchResponse.builder().withBatchItemFailures(List.of(
                        SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier("m-1").build())).build(),
                1, 10, Duration.ofMillis(200));
        try {
            source.start();
            await("the two successful messages are deleted").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(queue.deleted).containsExactlyInAnyOrder("r-0", "r-2"));
        } finally {
            source.close();
        }
        assertThat(source.reportedFailures()).isEqualTo(1);
    }

    @Test
    void invoke_whenHandlerThrows_thenNoMessageOfTheBatchIsDeleted() {
        FakeQueue queue = new FakeQueue(3);
        AtomicInteger invocations = new AtomicInteger();
        SqsEventSource source = new SqsEventSource(queue, "queue-url", "arn:aws:sqs:us-east-1:000000000000:orders",
                "us-east-1", () -> (event, context) -> {
                    invocations.incrementAndGet();
                    throw new IllegalStateException("handler bug");
                }, 1, 10, Duration.ofMillis(200));
        try {
            source.start();
            await("the handler is invoked").atMost(Duration.ofSeconds(10)).until(() -> invocations.get() >= 1);
        } finally {
            source.close();
        }
        assertThat(queue.deleted).as("deleted after a handler exception").isEmpty();
        assertThat(source.reportedFailures()).as("messages reported failed").isGreaterThanOrEqualTo(3);
    }

    /** Hands out its messages once each (no redelivery) and records what is deleted. */
    private static final class FakeQueue implements SqsClient {
        private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        final List<String> deleted = new CopyOnWriteArrayList<>();

        FakeQueue(int count) {
            for (int i = 0; i < count; i++) {
                messages.add(Message.builder().messageId("m-" + i).receiptHandle("r-" + i).body("{\"n\":" + i + "}").build());
            }
        }

        @Override
        public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
            List<Message> batch = new ArrayList<>();
            messages.drainTo(batch, request.maxNumberOfMessages());
            if (batch.isEmpty() && request.waitTimeSeconds() != null && request.waitTimeSeconds() > 0) {
                try {
                    Message m = messages.poll(50, TimeUnit.MILLISECONDS); // a short stand-in for the long poll
                    if (m != null) {
                        batch.add(m);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ReceiveMessageResponse.builder().messages(batch).build();
        }

        @Override
        public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
            List<DeleteMessageBatchResultEntry> ok = new ArrayList<>();
            request.entries().forEach(e -> {
                deleted.add(e.receiptHandle());
                ok.add(DeleteMessageBatchResultEntry.builder().id(e.id()).build());
            });
            return DeleteMessageBatchResponse.builder().successful(ok).failed(List.of()).build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {
        }
    }
}
