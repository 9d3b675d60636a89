package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.quicktheories.QuickTheory.qt;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.intake.RandomOrders.Draws;
import dev.orderpipeline.intake.RandomOrders.GeneratedOrder;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * Property-based tests of {@code POST /orders}: random near-valid orders are accepted exactly as submitted, and the
 * same orders with exactly one field broken are refused with exactly that field's pointer.
 *
 * <p>Run with QuickTheories ({@code org.quicktheories:quicktheories}, Apache-2.0), a property-testing library that
 * draws every random choice of {@link RandomOrders} from a seeded source and, when a property fails, shrinks those
 * choices to report a small counterexample with the seed; jqwik is not used because its maintainer asks that AI agents
 * not use it. Each run draws a fresh seed (printed in the summary line and in every failure);
 * {@code -DorderProperties.seed=<seed>} replays a run exactly and {@code -DorderProperties.tries=<n>} changes the
 * number of tries per property (default {@value #DEFAULT_TRIES}; the mutation property shares them among its kinds).
 */
class OrderPropertiesTest {
    private static final int DEFAULT_TRIES = 200;
    private static final int TRIES = Integer.getInteger("orderProperties.tries", DEFAULT_TRIES);
    private static final long SEED = Long.getLong("orderProperties.seed", new Random().nextLong());
    /** QuickTheories' default (100000 shrink attempts) takes minutes with a handler call per attempt. */
    private static final int SHRINK_CYCLES = 2_000;
    /** Bodies in failure reports are cut here; a shrunk counterexample is far shorter. */
    private static final int SHOWN_BODY_CHARS = 1_000;
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final Map<String, Integer> TRIED = new LinkedHashMap<>();

    // ---------------------------------------------------------------- properties

    @Test
    void submit_whenOrderIsValid_enqueuesExactlyTheSubmittedOrderWithItsIndependentlySummedTotal() {
        AtomicInteger tried = new AtomicInteger();
        falsifiable("accepted", SEED, () -> theory(SEED, TRIES)
                .forAll(validOrders())
                .checkAssert(order -> {
                    tried.incrementAndGet();
                    assertAcceptedAsSubmitted(order, OrderJson.write(order.json()));
                }));
        TRIED.put("valid orders accepted", tried.get());
    }

    /**
     * One theory per mutation kind, so that every kind is tried and a shrunk counterexample keeps its kind; the tries
     * are shared among the kinds as evenly as they divide, with at least one each. All kinds run before a failure is
     * reported.
     */
    @Test
    void submit_whenExactlyOneFieldIsBroken_answersWithThatFieldsPointerOnlyAndEnqueuesNothing() {
        Mutation[] kinds = Mutation.values();
        Map<Mutation, AtomicInteger> counts = new EnumMap<>(Mutation.class);
        Stream<Executable> theories = Stream.of(kinds).map(mutation -> () -> {
            AtomicInteger tried = counts.computeIfAbsent(mutation, m -> new AtomicInteger());
            int examples = Math.max(1, TRIES / kinds.length + (mutation.ordinal() < TRIES % kinds.length ? 1 : 0));
            long seed = seedOf(mutation);
            falsifiable(mutation.name(), seed, () -> theory(seed, examples)
                    .forAll(mutatedOrders(mutation))
                    .checkAssert(mutated -> {
                        tried.incrementAndGet();
                        assertRefusedAt(mutated);
                    }));
        });
        assertAll("single-field mutations", theories);

        assertThat(counts.keySet()).as("every mutation was tried").containsExactlyInAnyOrder(kinds);
        assertThat(counts.values()).as("tries per mutation").allSatisfy(n -> assertThat(n.get()).isPositive());
        int total = counts.values().stream().mapToInt(AtomicInteger::get).sum();
        TRIED.put("single-field mutations refused (" + kinds.length + " kinds)", total);
    }

    @AfterAll
    static void printSummary() {
        System.out.printf("order properties: seed %d, %s%n", SEED, TRIED);
    }

    // ---------------------------------------------------------------- generators

    private static QuickTheory theory(long seed, int examples) {
        return qt().withFixedSeed(seed).withExamples(examples).withShrinkCycles(SHRINK_CYCLES);
    }

    /** Each mutation kind's theory gets its own seed, derived from the run's, so kinds see different orders. */
    private static long seedOf(Mutation mutation) {
        return SEED + 0x9E3779B97F4A7C15L * (mutation.ordinal() + 1);
    }

    private static Gen<GeneratedOrder> validOrders() {
        Gen<GeneratedOrder> orders = source -> new RandomOrders(Draws.over(source)).next();
        return orders.describedAs(order -> "body: " + shown(OrderJson.write(order.json())));
    }

    private static Gen<Mutated> mutatedOrders(Mutation mutation) {
        Gen<Mutated> mutated = source -> {
            Draws draws = Draws.over(source);
            // the mutation's own choices (which line, which extra field, where to cut) are one element drawn first, so
            // that shrinking the order does not shift them onto other recorded choices
            Draws breaking = draws.element();
            return mutation.apply(new RandomOrders(draws).next(), breaking);
        };
        return mutated.describedAs(m -> String.format("%s, expected %s%nbody: %s",
                mutation, m.pointer().map(p -> "422 at " + p).orElse("400 malformed-json"), shown(m.body())));
    }

    // ---------------------------------------------------------------- assertions

    private static void assertAcceptedAsSubmitted(GeneratedOrder order, String body) {
        RecordingOrderQueue queue = RecordingOrderQueue.acknowledging();
        RecordingIntakeMetrics metrics = new RecordingIntakeMetrics();

        APIGatewayV2HTTPResponse response = post(body, queue, metrics);

        assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(202);
        String orderId = OrderJson.parse(response.getBody()).get("orderId").textValue();
        assertThat(queue.sent()).hasSize(1);
        PendingOrder pending = queue.sent().get(0).order();
        assertThat(pending.orderId().value()).isEqualTo(orderId);
        assertThat(pending.submission()).isEqualTo(order.expected());
        assertThat(pending.submission().total().amount()).as("total").isEqualTo(independentTotal(order));
        assertThat(metrics.recorded()).containsExactly("accepted");
    }

    /** Sum of quantity x price, from the submitted price texts, in plain BigDecimal arithmetic. */
    private static BigDecimal independentTotal(GeneratedOrder order) {
        BigDecimal total = BigDecimal.ZERO;
        List<OrderLine> lines = order.expected().lines();
        for (int i = 0; i < lines.size(); i++) {
            total = total.add(new BigDecimal(order.unitPriceTexts().get(i)).multiply(BigDecimal.valueOf(lines.get(i).quantity())));
        }
        return total.setScale(order.currency().minorUnits());
    }

    private static void assertRefusedAt(Mutated mutated) {
        RecordingOrderQueue queue = RecordingOrderQueue.acknowledging();
        RecordingIntakeMetrics metrics = new RecordingIntakeMetrics();

        APIGatewayV2HTTPResponse response = post(mutated.body(), queue, metrics);

        JsonNode problem = OrderJson.parse(response.getBody());
        if (mutated.pointer().isPresent()) {
            assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(422);
            List<String> pointers = new ArrayList<>();
            problem.path("errors").forEach(e -> pointers.add(e.path("pointer").textValue()));
            assertThat(pointers).as("pointers of %s", response.getBody()).containsExactly(mutated.pointer().get());
        } else {
            assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(400);
            assertThat(problem.path("type").textValue()).isEqualTo(ProblemType.MALFORMED_JSON.uri());
        }
        assertThat(queue.attempts()).as("calls to the queue").isZero();
        assertThat(metrics.recorded()).doesNotContain("accepted");
    }

    private static APIGatewayV2HTTPResponse post(String body, RecordingOrderQueue queue, RecordingIntakeMetrics metrics) {
        IntakeHandler handler = new IntakeHandler(new SubmitOrder(queue, FakeOrderLookup.empty(), new InMemoryIdempotencyRecords(),
                SubmitOrder.DEFAULT_IDEMPOTENCY_WINDOW, Clock.fixed(NOW, ZoneOffset.UTC)), metrics);
        APIGatewayV2HTTPEvent event = withBody(load("post-order-valid.json"), body);
        return OpenApiContract.assertConforms(event, handler.handleRequest(event, LambdaContexts.plain()));
    }

    /**
     * Runs one theory; a failure names the property and the option that replays it, above QuickTheories' report (the
     * smallest falsifying value, its cause, the larger ones found while shrinking, and the theory's seed).
     */
    private static void falsifiable(String property, long theorySeed, Runnable theory) {
        try {
            theory.run();
        } catch (AssertionError e) {
            String derived = theorySeed == SEED ? "" : " (QuickTheories' seed below is derived from it)";
            throw new AssertionError(String.format("%s falsified; replay with -DorderProperties.seed=%d%s%n%s",
                    property, SEED, derived, e.getMessage()), e);
        }
    }

    private static String shown(String body) {
        return body.length() <= SHOWN_BODY_CHARS ? body : body.substring(0, SHOWN_BODY_CHARS) + "… (" + body.length() + " chars)";
    }

    // ---------------------------------------------------------------- mutations

    /** The body sent, and the one pointer expected in the 422 (empty: a 400 malformed-json is expected). */
    record Mutated(String body, Optional<String> pointer) {
    }

    /** Breaks exactly one field of a valid order. */
    enum Mutation {
        SKU_LOWERCASE((o, r) -> line(o, r, (line, at) -> {
            String sku = line.get("sku").textValue().toLowerCase(Locale.ROOT);
            line.put("sku", "x" + sku.substring(0, Math.min(sku.length(), 31)));
            return at + "/sku";
        })),
        SKU_TOO_LONG((o, r) -> line(o, r, (line, at) -> {
            line.put("sku", (line.get("sku").textValue() + "X".repeat(33)).substring(0, 33));
            return at + "/sku";
        })),
        QUANTITY_ZERO((o, r) -> line(o, r, (line, at) -> {
            line.put("quantity", 0);
            return at + "/quantity";
        })),
        QUANTITY_10001((o, r) -> line(o, r, (line, at) -> {
            line.put("quantity", OrderLine.MAX_QUANTITY + 1);
            return at + "/quantity";
        })),
        QUANTITY_DECIMAL((o, r) -> line(o, r, (line, at) -> {
            line.put("quantity", BigDecimal.valueOf(line.get("quantity").intValue()).add(new BigDecimal("0.5")));
            return at + "/quantity";
        })),
        PRICE_EXCESS_PRECISION((o, r) -> line(o, r, (line, at) -> {
            int scale = o.currency().minorUnits();
            String atScale = new BigDecimal(line.get("unitPrice").textValue()).setScale(scale).toPlainString();
            line.put("unitPrice", atScale + (scale == 0 ? ".5" : "1"));
            return at + "/unitPrice";
        })),
        PRICE_NEGATIVE((o, r) -> line(o, r, (line, at) -> {
            line.put("unitPrice", "-" + line.get("unitPrice").textValue());
            return at + "/unitPrice";
        })),
        PRICE_AS_NUMBER((o, r) -> line(o, r, (line, at) -> {
            line.put("unitPrice", new BigDecimal(line.get("unitPrice").textValue()));
            return at + "/unitPrice";
        })),
        CURRENCY_UNKNOWN((o, r) -> {
            o.json().put("currency", "XYZ");
            return "/currency";
        }),
        /** Withdrawn codes the JDK still knows; java.util.Currency accepted them. */
        CURRENCY_WITHDRAWN((o, r) -> {
            o.json().put("currency", List.of("HRK", "LTL", "EEK", "BYR", "MRO", "STD", "VEF", "ZWD", "RUR", "ZWL", "SLL")
                    .get(r.nextInt(11)));
            return "/currency";
        }),
        /** Listed codes a v1 event cannot carry: no minor unit, or four (CLF, UYW). */
        CURRENCY_UNSUPPORTED((o, r) -> {
            o.json().put("currency", List.of("CLF", "UYW", "XAU", "XDR", "XXX").get(r.nextInt(5)));
            return "/currency";
        }),
        /** U+FFFE, U+FFFF: valid in JSON and Java, refused by SQS, so refused at intake. */
        TEXT_WITH_NONCHARACTER((o, r) -> {
            String bad = r.nextBoolean() ? "\uFFFF" : "\uFFFE";
            if (r.nextBoolean()) {
                ObjectNode address = (ObjectNode) o.json().get("shippingAddress");
                if (address == null) {
                    address = o.json().putObject("shippingAddress").put("name", "Ada").put("line1", "1 Loop Road")
                            .put("city", "London").put("postalCode", "N1").put("country", "GB");
                }
                String field = List.of("name", "line1", "city", "postalCode").get(r.nextInt(4));
                address.put(field, address.get(field).textValue().substring(0, 1) + bad);
                return "/shippingAddress/" + field;
            }
            return breakAttribute(o, r, old -> old + bad);
        }),
        /** 257 code points (514 UTF-16 units) where the limit is 256 code points. */
        ATTRIBUTE_VALUE_257_CODE_POINTS((o, r) -> {
            return breakAttribute(o, r, old -> "\uD83D\uDEB2".repeat(257));
        }),
        CUSTOMER_ID_INVALID((o, r) -> {
            o.json().put("customerId", o.json().get("customerId").textValue() + " !");
            return "/customerId";
        }),
        EXTRA_FIELD((o, r) -> {
            if (r.nextBoolean()) {
                o.json().put("couponCode", "SUMMER-SALE");
                return "/couponCode";
            }
            return line(o, r, (line, at) -> {
                line.put("lineTotal", "1.00");
                return at + "/lineTotal";
            });
        }),
        ATTRIBUTE_WITH_CONTROL_CHARACTER((o, r) -> {
            ObjectNode attributes = o.json().has("attributes") ? (ObjectNode) o.json().get("attributes") : o.json().putObject("attributes");
            List<String> keys = new ArrayList<>();
            attributes.fieldNames().forEachRemaining(keys::add);
            String key = keys.isEmpty() ? "note/~1" : keys.get(r.nextInt(keys.size()));
            attributes.put(key, (attributes.has(key) ? attributes.get(key).textValue() : "") + "\u0007");
            return "/attributes/" + key.replace("~", "~0").replace("/", "~1");
        }),
        LINES_EMPTY((o, r) -> {
            o.json().putArray("lines");
            return "/lines";
        }),
        LINES_101((o, r) -> {
            ArrayNode lines = (ArrayNode) o.json().get("lines");
            for (int i = 0; lines.size() < 101; i++) {
                lines.add(lines.get(i).deepCopy());
            }
            return "/lines";
        }),
        DUPLICATE_KEY(null),
        TRUNCATED(null);

        private final BiFunction<GeneratedOrder, Draws, String> change;

        Mutation(BiFunction<GeneratedOrder, Draws, String> change) {
            this.change = change;
        }

        Mutated apply(GeneratedOrder order, Draws random) {
            if (this == DUPLICATE_KEY) {
                String body = OrderJson.write(order.json());
                return new Mutated("{\"currency\":\"EUR\"," + body.substring(1), Optional.empty());
            }
            if (this == TRUNCATED) {
                String body = OrderJson.write(order.json());
                return new Mutated(body.substring(0, random.between(1, body.length() - 1)), Optional.empty());
            }
            String pointer = change.apply(order, random);
            return new Mutated(OrderJson.write(order.json()), Optional.of(pointer));
        }

        /** Changes the value of a random attribute (a new one when there is none); returns its pointer. */
        private static String breakAttribute(GeneratedOrder order, Draws random, java.util.function.UnaryOperator<String> change) {
            ObjectNode json = order.json();
            ObjectNode attributes = json.has("attributes") ? (ObjectNode) json.get("attributes") : json.putObject("attributes");
            List<String> keys = new ArrayList<>();
            attributes.fieldNames().forEachRemaining(keys::add);
            String key = keys.isEmpty() ? "note/~1" : keys.get(random.nextInt(keys.size()));
            attributes.put(key, change.apply(attributes.has(key) ? attributes.get(key).textValue() : ""));
            return "/attributes/" + key.replace("~", "~0").replace("/", "~1");
        }

        /** Applies {@code change} to one random line; it returns the broken field's pointer given the line's. */
        private static String line(GeneratedOrder order, Draws random, BiFunction<ObjectNode, String, String> change) {
            ArrayNode lines = (ArrayNode) order.json().get("lines");
            int index = random.nextInt(lines.size());
            return change.apply((ObjectNode) lines.get(index), "/lines/" + index);
        }
    }
}
