package dev.orderpipeline.confirmation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.orderpipeline.domain.confirmation.BatchResult;
import dev.orderpipeline.domain.json.OrderMessageJson;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderConfirmed;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.ShippingAddress;
import dev.orderpipeline.domain.model.Sku;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import dev.orderpipeline.domain.model.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Queue messages that did not come from intake (a replay, an operator, a bug) and cannot be confirmed: each file under
 * {@code src/test/resources/sqs/malformed/} is one message body (its bytes, as UTF-8), plus a {@code null} body built
 * here. Each is put into a batch between two valid messages. The handler must report exactly the malformed message as
 * a batch item failure (so SQS retries it and finally dead-letters it, intact), confirm and publish both valid orders,
 * and let no exception escape: a malformed message never costs the rest of its batch.
 */
class MalformedQueueMessagesTest {
    private static final String CORPUS = "sqs/malformed";
    private static final Currency EUR = Currency.of("EUR");
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger LOST_BATCHES = new AtomicInteger();

    private final Context context = mock(Context.class);

    /** One malformed body: a file of the corpus, or the null body. */
    record MalformedBody(String name, String body) {
    }

    @TestFactory
    Stream<DynamicTest> handleRequest_whenAMalformedMessageSitsBetweenValidOnes_reportsOnlyItAndConfirmsTheOthers() {
        List<MalformedBody> corpus = corpus();
        return Stream.iterate(0, i -> i < corpus.size(), i -> i + 1).map(i -> DynamicTest.dynamicTest(corpus.get(i).name(), () -> {
            try {
                assertOnlyTheMalformedMessageFails(corpus.get(i), i % 3);
            } catch (AssertionError | RuntimeException e) {
                LOST_BATCHES.incrementAndGet();
                // surefire reports dynamic tests by index: name the case in the failure itself
                throw new AssertionError(corpus.get(i).name() + ": " + e.getMessage(), e);
            } finally {
                CASES.incrementAndGet();
            }
        }));
    }

    @Test
    void handleRequest_whenEveryMalformedMessageIsInOneBatch_reportsEachOfThemAndConfirmsTheValidOnes() {
        List<MalformedBody> corpus = corpus();
        InMemoryPipeline pipeline = new InMemoryPipeline();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        List<String> malformedIds = new ArrayList<>();
        SQSEvent.SQSMessage first = message(validBody(OrderId.random()));
        records.add(first);
        for (MalformedBody m : corpus) {
            SQSEvent.SQSMessage record = message(m.body());
            records.add(record);
            malformedIds.add(record.getMessageId());
        }
        SQSEvent.SQSMessage last = message(validBody(OrderId.random()));
        records.add(last);

        SQSBatchResponse response = pipeline.handler().handleRequest(event(records), context);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyElementsOf(malformedIds);
        assertThat(pipeline.published).hasSize(2);
        assertThat(pipeline.recorded).singleElement().satisfies(r -> {
            assertThat(r.poisonMessages()).isEqualTo(corpus.size());
            assertThat(r.confirmed()).isEqualTo(2);
        });
    }

    @Test
    void corpus_whenLoaded_coversEveryKindOfDamageNamedInTheBrief() {
        List<String> names = corpus().stream().map(MalformedBody::name).toList();

        assertThat(names).hasSizeGreaterThanOrEqualTo(60).doesNotHaveDuplicates();
        for (String kind : List.of("empty-body", "null body", "not-json", "truncated", "version-", "orderId-missing",
                "orderId-not-a-uuid", "submittedAt-missing", "submittedAt-not-a-date", "order-missing", "order-customerId",
                "order-currency", "order-lines", "order-sku", "order-quantity", "order-unitPrice", "order-address",
                "order-attribute", "order-unknown-field", "duplicate-key", "huge-body", "replacement-char", "nested-")) {
            assertThat(names).as("a case of kind %s", kind).anyMatch(n -> n.contains(kind));
        }
    }

    @AfterAll
    static void printSummary() {
        if (CASES.get() > 0) {
            System.out.printf("malformed messages: %d cases, %d lost batches%n", CASES.get(), LOST_BATCHES.get());
        }
    }

    // ---------------------------------------------------------------- one case

    private void assertOnlyTheMalformedMessageFails(MalformedBody malformed, int position) {
        InMemoryPipeline pipeline = new InMemoryPipeline();
        OrderId firstOrder = OrderId.random();
        OrderId secondOrder = OrderId.random();
        List<SQSEvent.SQSMessage> records = new ArrayList<>(List.of(message(validBody(firstOrder)), message(validBody(secondOrder))));
        SQSEvent.SQSMessage bad = message(malformed.body());
        records.add(position, bad);

        SQSBatchResponse response = pipeline.handler().handleRequest(event(records), context);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .as("batch item failures").containsExactly(bad.getMessageId());
        assertThat(pipeline.published).extracting(OrderConfirmed::orderId).as("published")
                .containsExactlyInAnyOrder(firstOrder, secondOrder);
        assertThat(pipeline.store.stored()).containsOnlyKeys(firstOrder, secondOrder);
        assertThat(pipeline.recorded).singleElement().satisfies(r -> {
            assertThat(r.poisonMessages()).as("poison messages").isEqualTo(1);
            assertThat(r.confirmed()).as("confirmed").isEqualTo(2);
        });
    }

    // ---------------------------------------------------------------- the corpus and the batches

    static List<MalformedBody> corpus() {
        List<MalformedBody> corpus = new ArrayList<>();
        corpus.add(new MalformedBody("null body", null));
        try (Stream<Path> files = Files.list(resource(CORPUS))) {
            files.sorted().forEach(f -> corpus.add(new MalformedBody(f.getFileName().toString(), read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return corpus;
    }

    /** A message intake would have written, with a shipping address and attributes. */
    static String validBody(OrderId id) {
        OrderSubmission submission = new OrderSubmission(new CustomerId("cust-valid-1"), EUR,
                List.of(new OrderLine(new Sku("SKU-VALID-1"), 3, new Money(EUR, new BigDecimal("4.20")))),
                Optional.of(new ShippingAddress("Grace Hopper", "1 Navy Yard", null, "Arlington", null, "22202", "US")),
                Map.of("giftWrap", "yes"));
        return OrderMessageJson.write(new PendingOrder(id, Instant.parse("2026-11-26T10:00:00.123Z"), submission));
    }

    static SQSEvent.SQSMessage message(String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setReceiptHandle("AQEB" + UUID.randomUUID());
        m.setBody(body);
        m.setEventSource("aws:sqs");
        m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:order-pipeline-orders");
        m.setAwsRegion("us-east-1");
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        return m;
    }

    static SQSEvent event(List<SQSEvent.SQSMessage> records) {
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static Path resource(String name) {
        try {
            var url = MalformedQueueMessagesTest.class.getClassLoader().getResource(name);
            if (url == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An in-memory store, and what the handler published and counted. */
    static final class InMemoryPipeline {
        final InMemoryOrderStore store = new InMemoryOrderStore();
        final List<OrderConfirmed> published = new ArrayList<>();
        final List<BatchResult> recorded = new ArrayList<>();

        ConfirmationHandler handler() {
            return InMemoryOrderStore.handler(store, published, recorded);
        }
    }
}
