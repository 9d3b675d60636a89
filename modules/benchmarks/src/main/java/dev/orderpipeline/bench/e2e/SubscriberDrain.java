package dev.orderpipeline.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reads the subscriber queue the way a subscriber would (receive up to 10 with a short long-poll, delete the batch)
 * and reports the {@code orderId} of every {@code OrderConfirmed} envelope with its arrival time.
 */
final class SubscriberDrain implements AutoCloseable {
    static final String THREAD_PREFIX = "bench-subscriber-";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final BiConsumer<String, Long> onEvent;
    private final ExecutorService threads;
    private volatile boolean running = true;
    private final AtomicInteger errors = new AtomicInteger();

    SubscriberDrain(SqsClient sqs, String queueUrl, int consumers, BiConsumer<String, Long> onEvent) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.onEvent = onEvent;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(consumers, r -> {
            Thread t = new Thread(r, THREAD_PREFIX + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < consumers; i++) {
            threads.submit(this::loop);
        }
    }

    private void loop() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) {
                    continue;
                }
                long arrival = System.nanoTime();
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(messages.size());
                for (Message m : messages) {
                    String orderId = orderId(m.body());
                    if (orderId != null) {
                        onEvent.accept(orderId, arrival);
                    }
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                            .receiptHandle(m.receiptHandle()).build());
                }
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
            } catch (RuntimeException e) {
                if (running) {
                    errors.incrementAndGet();
                    sleepQuietly(100);
                }
            }
        }
    }

    /** {@code detail.orderId} of an EventBridge envelope. */
    static String orderId(String envelope) {
        try {
            JsonNode id = MAPPER.readTree(envelope).path("detail").path("orderId");
            return id.isTextual() ? id.textValue() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    int errors() {
        return errors.get();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        threads.shutdown();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }
}
