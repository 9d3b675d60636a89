package dev.orderpipeline.intake;

import static dev.orderpipeline.intake.ApiGatewayEvents.load;
import static dev.orderpipeline.intake.ApiGatewayEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.intake.SubmitOrder;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.PendingOrder;
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
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of {@code POST /orders}: random near-valid orders are accepted exactly as submitted, and the
 * same orders with exactly one field broken are refused with exactly that field's pointer.
 *
 * <p>A small seeded harness on JUnit Jupiter, not a property-testing library: each run draws a fresh seed (printed in
 * the summary line and in every failure); {@code -DorderProperties.seed=<seed>} replays a run exactly and
 * {@code -DorderProperties.tries=<n>} changes the number of tries (default {@value #DEFAULT_TRIES}).
 */
class OrderPropertiesTest {
    private static final int DEFAULT_TRIES = 200;
    private static final int TRIES = Integer.getInteger("orderProperties.tries", DEFAULT_TRIES);
    private static final long SEED = Long.getLong("orderProperties.seed", new Random().nextLong());
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final Map<String, Integer> TRIED = new LinkedHashMap<>();

    // ---------------------------------------------------------------- properties

    @Test
    void submit_whenOrderIsValid_enqueuesExactlyTheSubmittedOrderWithItsIndependentlySummedTotal() {
        RandomOrders orders = new RandomOrders(new Random(SEED));
        for (int i = 1; i <= TRIES; i++) {
            GeneratedOrder order = orders.next();
            String body = OrderJson.write(order.json());
            falsifiable("accepted", i, body, () -> assertAcceptedAsSubmitted(order, body));
        }
        TRIED.put("valid orders accepted", TRIES);
    }

    @Test
    void submit_whenExactlyOneFieldIsBroken_answersWithThatFieldsPointerOnlyAndEnqueuesNothing() {
        Random random = new Random(SEED ^ 0x5DEECE66DL);
        RandomOrders orders = new RandomOrders(random);
        Map<Mutation, Integer> counts = new EnumMap<>(Mutation.class);
        for (int i = 1; i <= TRIES; i++) {
            GeneratedOrder order = orders.next();
            Mutation mutation = Mutation.values()[(i - 1) % Mutation.values().length];
            Mutated mutated = mutation.apply(order, random);
            falsifiable(mutation.name(), i, mutated.body(), () -> assertRefusedAt(mutated));
            counts.merge(mutation, 1, Integer::sum);
        }
        assertThat(counts.keySet()).as("every mutation was tried").containsExactlyInAnyOrder(Mutation.values());
        TRIED.put("single-field mutations refused (" + Mutation.values().length + " kinds)", TRIES);
    }

    @AfterAll
    static void printSummary() {
        System.out.printf("order properties: seed %d, %s%n", SEED, TRIED);
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
        return total.setScale(order.currency().getDefaultFractionDigits());
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
        IntakeHandler handler = new IntakeHandler(new SubmitOrder(queue, FakeOrderLookup.empty(), Clock.fixed(NOW, ZoneOffset.UTC)), metrics);
        return handler.handleRequest(withBody(load("post-order-valid.json"), body), LambdaContexts.plain());
    }

    /** Runs one try; a failure names the property, the try, the seed that replays it, and the body. */
    private static void falsifiable(String property, int tryNumber, String body, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            String shown = body.length() <= 2000 ? body : body.substring(0, 2000) + "… (" + body.length() + " chars)";
            throw new AssertionError(String.format("%s falsified at try %d of %d; replay with -DorderProperties.seed=%d%nbody: %s%n%s",
                    property, tryNumber, TRIES, SEED, shown, e.getMessage()), e);
        }
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
            int scale = o.currency().getDefaultFractionDigits();
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

        private final BiFunction<GeneratedOrder, Random, String> change;

        Mutation(BiFunction<GeneratedOrder, Random, String> change) {
            this.change = change;
        }

        Mutated apply(GeneratedOrder order, Random random) {
            if (this == DUPLICATE_KEY) {
                String body = OrderJson.write(order.json());
                return new Mutated("{\"currency\":\"EUR\"," + body.substring(1), Optional.empty());
            }
            if (this == TRUNCATED) {
                String body = OrderJson.write(order.json());
                return new Mutated(body.substring(0, 1 + random.nextInt(body.length() - 1)), Optional.empty());
            }
            String pointer = change.apply(order, random);
            return new Mutated(OrderJson.write(order.json()), Optional.of(pointer));
        }

        /** Applies {@code change} to one random line; it returns the broken field's pointer given the line's. */
        private static String line(GeneratedOrder order, Random random, BiFunction<ObjectNode, String, String> change) {
            ArrayNode lines = (ArrayNode) order.json().get("lines");
            int index = random.nextInt(lines.size());
            return change.apply((ObjectNode) lines.get(index), "/lines/" + index);
        }
    }
}
