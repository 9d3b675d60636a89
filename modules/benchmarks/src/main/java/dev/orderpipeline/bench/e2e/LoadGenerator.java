package dev.orderpipeline.bench.e2e;

import dev.orderpipeline.bench.common.LatencyStats;
import dev.orderpipeline.bench.common.SampleOrders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: order {@code i} of a step is sent at {@code start + i / rate}, whether or not earlier
 * requests were answered, by a few sender threads through the JDK's asynchronous HTTP client. Every latency is
 * measured from the scheduled send time, so a sender that fell behind (the machine or the server stalled) shows up
 * as latency instead of as quietly sending less: no coordinated omission.
 */
final class LoadGenerator implements AutoCloseable {
    static final String THREAD_PREFIX = "bench-load-";

    private final URI ordersUri;
    private final OrderTracker tracker;
    private final int senders;
    private final int lines;
    private final boolean idempotencyKeys;
    private final Duration requestTimeout;
    private final int maxInFlight;
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong nextIndex = new AtomicLong();

    LoadGenerator(URI apiUrl, OrderTracker tracker, int senders, int lines, boolean idempotencyKeys,
                  Duration requestTimeout, int maxInFlight) {
        this.ordersUri = apiUrl.resolve("/orders");
        this.tracker = tracker;
        this.senders = senders;
        this.lines = lines;
        this.idempotencyKeys = idempotencyKeys;
        this.requestTimeout = requestTimeout;
        this.maxInFlight = maxInFlight;
        AtomicInteger n = new AtomicInteger();
        this.httpExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, THREAD_PREFIX + "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(httpExecutor).build();
    }

    /** Whose CPU counts as the load generator's: our threads and the HTTP client's selector. */
    static boolean isGeneratorThread(String name) {
        return name.startsWith(THREAD_PREFIX) || name.startsWith("HttpClient-") || name.startsWith(SubscriberDrain.THREAD_PREFIX);
    }

    /** What one step sent and got back. Latencies and counts cover the orders scheduled inside the window. */
    static final class Outcome {
        final LatencyStats post = new LatencyStats();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        /** 202s including the lead-in's. */
        final AtomicLong acceptedAll = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong ioErrors = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final Map<Integer, AtomicLong> otherStatus = new ConcurrentHashMap<>();
        final AtomicLong maxSenderLagNanos = new AtomicLong();
        long windowStartNanos;
        long windowEndNanos;

        long non202() {
            return otherStatus.values().stream().mapToLong(AtomicLong::get).sum();
        }

        long errors() {
            return non202() + timeouts.get() + ioErrors.get() + dropped.get();
        }
    }

    /**
     * Sends at {@code rate} orders/s for {@code leadIn + window}; only orders scheduled inside the window are
     * reported (the lead-in lets queues reach their steady state first).
     *
     * @param step where matched confirmations of window orders are counted; null for a warm-up
     * @param atWindowStart called (on this thread) when the window opens; {@code atWindowEnd} when it closes
     */
    Outcome run(int rate, Duration leadIn, Duration window, OrderTracker.Step step, Runnable atWindowStart,
                Runnable atWindowEnd) throws InterruptedException {
        long period = 1_000_000_000L / rate;
        long leadCount = leadIn.toNanos() / period;
        long total = leadCount + window.toNanos() / period;
        long base = nextIndex.getAndAdd(total);
        List<String> bodies = new ArrayList<>((int) total);
        for (long i = 0; i < total; i++) {
            bodies.add(SampleOrders.body(base + i, lines));
        }
        Outcome outcome = new Outcome();
        AtomicLong inFlight = new AtomicLong();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        outcome.windowStartNanos = start + leadCount * period;
        outcome.windowEndNanos = start + total * period;

        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < senders; k++) {
            final int first = k;
            Thread t = new Thread(() -> {
                for (long i = first; i < total; i += senders) {
                    long scheduled = start + i * period;
                    parkUntil(scheduled);
                    long lag = System.nanoTime() - scheduled;
                    outcome.maxSenderLagNanos.accumulateAndGet(lag, Math::max);
                    boolean inWindow = i >= leadCount;
                    if (inFlight.get() >= maxInFlight) {
                        if (inWindow) {
                            outcome.dropped.incrementAndGet();
                        }
                        continue;
                    }
                    send(bodies.get((int) i), base + i, scheduled, inWindow, step, outcome, inFlight);
                }
            }, THREAD_PREFIX + "sender-" + k);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        parkUntil(outcome.windowStartNanos);
        atWindowStart.run();
        parkUntil(outcome.windowEndNanos);
        atWindowEnd.run();
        for (Thread t : threads) {
            t.join();
        }
        // every request ends by its timeout at the latest
        long deadline = System.nanoTime() + requestTimeout.toNanos() + TimeUnit.SECONDS.toNanos(2);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return outcome;
    }

    private void send(String body, long index, long scheduled, boolean inWindow, OrderTracker.Step step, Outcome outcome,
                      AtomicLong inFlight) {
        HttpRequest.Builder request = HttpRequest.newBuilder(ordersUri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKeys) {
            request.header("Idempotency-Key", "bench-" + runId + "-" + index);
        }
        inFlight.incrementAndGet();
        if (inWindow) {
            outcome.sent.incrementAndGet();
        }
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            long now = System.nanoTime();
            inFlight.decrementAndGet();
            if (inWindow) {
                outcome.post.recordNanos(now - scheduled);
            }
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (inWindow) {
                    (cause instanceof HttpTimeoutException ? outcome.timeouts : outcome.ioErrors).incrementAndGet();
                }
                return;
            }
            if (response.statusCode() == 202) {
                String orderId = orderId(response.body());
                outcome.acceptedAll.incrementAndGet();
                if (inWindow) {
                    outcome.accepted.incrementAndGet();
                }
                if (orderId != null) {
                    tracker.accepted(orderId, scheduled, inWindow ? step : null);
                }
            } else if (inWindow) {
                outcome.otherStatus.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
            }
        });
    }

    /** The {@code orderId} of a 202 body, without a JSON parser on the hot path. */
    static String orderId(String body) {
        int at = body == null ? -1 : body.indexOf("\"orderId\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + "\"orderId\":\"".length();
        int to = body.indexOf('"', from);
        return to < 0 ? null : body.substring(from, to);
    }

    static void parkUntil(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    @Override
    public void close() {
        httpExecutor.shutdownNow();
    }
}
