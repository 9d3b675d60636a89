package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.mockito.Mockito;

/**
 * An SQS queue and its event source mapping in miniature, with real parallelism: {@code workers} threads, each with
 * its own handler instance (a Lambda container), receive batches from one queue. What a batch reports failed comes
 * back later, and after {@code maxReceives} receives goes to the dead letters; a worker that dies (an {@link Error}
 * escapes its handler) loses its whole batch back to the queue and is replaced by a fresh handler instance, as Lambda
 * starts a new container. Optionally some processed messages are delivered again anyway (SQS is at-least-once).
 */
final class ParallelWorkers {
    /** What happened: the messages that ended in the dead letters, and how many workers died. */
    record Outcome(List<SQSEvent.SQSMessage> deadLetters, int deaths, int batches) {
    }

    private final int workers;
    private final int maxBatchSize;
    private final int maxReceives;
    private final Supplier<RequestHandler<SQSEvent, SQSBatchResponse>> newHandler;
    private Random redelivery;
    private int redeliveryPercent;

    ParallelWorkers(int workers, int maxBatchSize, int maxReceives, Supplier<RequestHandler<SQSEvent, SQSBatchResponse>> newHandler) {
        this.workers = workers;
        this.maxBatchSize = maxBatchSize;
        this.maxReceives = maxReceives;
        this.newHandler = newHandler;
    }

    /** Delivers this share of successfully processed messages once more. */
    ParallelWorkers redeliveringProcessed(Random random, int percent) {
        this.redelivery = random;
        this.redeliveryPercent = percent;
        return this;
    }

    /** Runs until every message is processed or dead-lettered; fails the test if that takes longer than {@code limit}. */
    Outcome run(List<SQSEvent.SQSMessage> messages, Duration limit) throws InterruptedException {
        LinkedBlockingDeque<SQSEvent.SQSMessage> queue = new LinkedBlockingDeque<>(messages);
        AtomicInteger outstanding = new AtomicInteger(messages.size());
        Map<String, AtomicInteger> receives = new ConcurrentHashMap<>();
        List<SQSEvent.SQSMessage> deadLetters = new CopyOnWriteArrayList<>();
        List<Throwable> bugs = new CopyOnWriteArrayList<>();
        AtomicInteger deaths = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        Context context = Mockito.mock(Context.class);
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        for (int w = 0; w < workers; w++) {
            Thread thread = new Thread(() -> {
                RequestHandler<SQSEvent, SQSBatchResponse> handler = newHandler.get();
                while (outstanding.get() > 0 && bugs.isEmpty() && !stop.get()) {
                    List<SQSEvent.SQSMessage> batch = receive(queue);
                    if (batch.isEmpty()) {
                        continue;
                    }
                    batches.incrementAndGet();
                    batch.forEach(m -> receives.computeIfAbsent(m.getMessageId(), k -> new AtomicInteger()).incrementAndGet());
                    Set<String> failed = new HashSet<>();
                    try {
                        SQSEvent event = new SQSEvent();
                        event.setRecords(batch);
                        handler.handleRequest(event, context).getBatchItemFailures()
                                .forEach(f -> failed.add(f.getItemIdentifier()));
                    } catch (Error died) {
                        deaths.incrementAndGet();
                        batch.forEach(m -> failed.add(m.getMessageId()));
                        handler = newHandler.get(); // Lambda starts a fresh container
                    } catch (RuntimeException e) {
                        bugs.add(e); // the handler must never throw: it reports failures instead
                    }
                    for (SQSEvent.SQSMessage m : batch) {
                        if (failed.contains(m.getMessageId())) {
                            if (receives.get(m.getMessageId()).get() >= maxReceives) {
                                deadLetters.add(m);
                                outstanding.decrementAndGet();
                            } else {
                                queue.addLast(m);
                            }
                        } else if (redelivery != null && chance()) {
                            queue.addLast(m); // at-least-once: delivered again although it was processed
                        } else {
                            outstanding.decrementAndGet();
                        }
                    }
                }
            }, "worker-" + w);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        stop.set(true);
        assertThat(bugs).as("exceptions escaping the handler").isEmpty();
        assertThat(outstanding.get()).as("messages neither processed nor dead-lettered within %s", limit).isZero();
        return new Outcome(List.copyOf(deadLetters), deaths.get(), batches.get());
    }

    private boolean chance() {
        synchronized (redelivery) {
            return redelivery.nextInt(100) < redeliveryPercent;
        }
    }

    private List<SQSEvent.SQSMessage> receive(LinkedBlockingDeque<SQSEvent.SQSMessage> queue) {
        List<SQSEvent.SQSMessage> batch = new ArrayList<>();
        try {
            SQSEvent.SQSMessage first = queue.poll(20, TimeUnit.MILLISECONDS);
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, maxBatchSize - 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return batch;
    }

    static SQSEvent.SQSMessage message(String id, String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        return m;
    }
}
