package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.confirmation.QueuedOrder;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.Currency;
import dev.orderpipeline.domain.model.CurrencyTable;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.intake.OrderPropertiesTest.Mutation;
import dev.orderpipeline.intake.RandomOrders.Draws;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the two readers of an order: intake ({@code POST /orders}) and the confirmation stage's queue
 * message reader. Every input, valid or near-valid, is given to both; no input may be accepted by one and refused by
 * the other, and what intake enqueues must read back as exactly the order it accepted. Inputs: generated valid orders
 * in every currency of the pinned table (and the table's unsupported codes), edge characters and code point lengths,
 * and every single-field mutation of {@link OrderPropertiesTest}. {@code -DorderProperties.seed=<seed>} replays a run.
 */
class IntakeAndQueueReaderAgreementTest {
    private static final long SEED = Long.getLong("orderProperties.seed", new Random().nextLong());
    private static final int TRIES = Integer.getInteger("orderProperties.tries", 200);
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final AtomicInteger INPUTS = new AtomicInteger();
    private static final AtomicInteger ACCEPTED = new AtomicInteger();
    private static final AtomicInteger DISAGREEMENTS = new AtomicInteger();
    private static final Set<String> CURRENCIES = new TreeSet<>();

    @Test
    void readers_whenGivenGeneratedValidOrdersInEveryCurrency_bothAcceptTheSameOrder() {
        for (CurrencyTable.Entry entry : CurrencyTable.entries().values()) {
            long seed = SEED ^ entry.code().hashCode();
            qt().withFixedSeed(seed).withExamples(2).withShrinkCycles(200)
                    .forAll(source -> {
                        RandomOrders orders = new RandomOrders(Draws.over(source));
                        // a listed code intake must refuse is set on an otherwise valid EUR order
                        var order = orders.next(entry.orderCurrency().orElse(Currency.of("EUR")));
                        order.json().put("currency", entry.code());
                        return OrderJson.write(order.json());
                    })
                    .checkAssert(IntakeAndQueueReaderAgreementTest::assertAgree);
        }
    }

    @Test
    void readers_whenGivenNearValidOrders_refuseExactlyTheSameOnes() {
        for (Mutation mutation : Mutation.values()) {
            qt().withFixedSeed(SEED + mutation.ordinal()).withExamples(Math.max(5, TRIES / Mutation.values().length))
                    .withShrinkCycles(200)
                    .forAll(source -> {
                        Draws draws = Draws.over(source);
                        Draws breaking = draws.element();
                        return mutation.apply(new RandomOrders(draws).next(), breaking).body();
                    })
                    .checkAssert(IntakeAndQueueReaderAgreementTest::assertAgree);
        }
    }

    @Test
    void readers_whenGivenTheIssuesReproductions_agree() {
        List<String> bodies = new ArrayList<>();
        bodies.add("{\"customerId\":\"c-1\",\"currency\":\"CLF\",\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":1,\"unitPrice\":\"2.50\"}]}");
        for (String text : List.of("\\uFFFE", "\\uFFFF", "\\uD800", "\\uDFFF", "\\uFFFD", "\\uDBFF\\uDFFD")) {
            bodies.add("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":1,"
                    + "\"unitPrice\":\"2.50\"}],\"attributes\":{\"note\":\"a" + text + "\"}}");
            bodies.add("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":1,"
                    + "\"unitPrice\":\"2.50\"}],\"shippingAddress\":{\"name\":\"a" + text + "\",\"line1\":\"1 Road\","
                    + "\"city\":\"Oslo\",\"postalCode\":\"0150\",\"country\":\"NO\"}}");
        }
        bodies.forEach(IntakeAndQueueReaderAgreementTest::assertAgree);
    }

    @AfterAll
    static void printSummary() {
        System.out.printf("intake vs queue reader: seed %d, %d inputs, %d accepted by both, %d currencies, %d disagreements%n",
                SEED, INPUTS.get(), ACCEPTED.get(), CURRENCIES.size(), DISAGREEMENTS.get());
    }

    // ---------------------------------------------------------------- the comparison

    private static void assertAgree(String body) {
        INPUTS.incrementAndGet();
        RecordingOrderQueue queue = RecordingOrderQueue.acknowledging();
        IntakeHandler intake = new IntakeHandler(
                new SubmitOrder(queue, FakeOrderLookup.empty(), new InMemoryIdempotencyRecords(),
                        SubmitOrder.DEFAULT_IDEMPOTENCY_WINDOW, Clock.fixed(NOW, ZoneOffset.UTC)), new RecordingIntakeMetrics());
        APIGatewayV2HTTPResponse response = intake.handleRequest(withBody(load("post-order-valid.json"), body), LambdaContexts.plain());
        boolean intakeAccepted = response.getStatusCode() == 202;

        // the same order document inside a queue message envelope, as a replay or an operator could send it
        String envelope = "{\"messageVersion\":1,\"orderId\":\"0b8f5c1e-3f0a-4c55-9d59-6d6f0e0b1a99\","
                + "\"submittedAt\":\"2026-11-26T10:00:00.123Z\",\"order\":" + body + "}";
        QueuedOrder read = OrderMessageJson.toQueuedOrder("m-1", envelope);
        boolean readerAccepted = read instanceof QueuedOrder.Readable;

        if (intakeAccepted != readerAccepted) {
            DISAGREEMENTS.incrementAndGet();
        }
        assertThat(readerAccepted).as("queue reader accepts what intake %s (intake answered %d %s; reader: %s)",
                intakeAccepted ? "accepted" : "refused", response.getStatusCode(), response.getBody(), read)
                .isEqualTo(intakeAccepted);
        if (!intakeAccepted) {
            assertThat(response.getStatusCode()).isBetween(400, 499);
            assertRefusedAtTheSamePointers(response, (QueuedOrder.Unreadable) read);
            return;
        }
        ACCEPTED.incrementAndGet();
        PendingOrder enqueued = queue.sent().get(0).order();
        CURRENCIES.add(enqueued.submission().currency().code());
        // what intake enqueues, read by the confirmation stage, is exactly what intake accepted
        QueuedOrder fromQueue = OrderMessageJson.toQueuedOrder("m-2", OrderMessageJson.write(enqueued));
        assertThat(fromQueue).isEqualTo(new QueuedOrder.Readable("m-2", enqueued));
        assertThat(((QueuedOrder.Readable) read).order().submission()).isEqualTo(enqueued.submission());
    }

    /** A 422's pointers, prefixed with /order, are the pointers the reader names. */
    private static void assertRefusedAtTheSamePointers(APIGatewayV2HTTPResponse response, QueuedOrder.Unreadable read) {
        if (response.getStatusCode() != 422) {
            return; // malformed JSON: no pointers on either side
        }
        JsonNode problem = OrderJson.parse(response.getBody());
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(e -> pointers.add("/order" + e.path("pointer").textValue() + " " + e.path("code").textValue()));
        assertThat(pointers).isNotEmpty().allSatisfy(p -> assertThat(read.reason()).contains(p));
    }
}
