package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.model.Currency;
import dev.orderpipeline.domain.model.CurrencyTable;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.ShippingAddress;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * The order contract end to end: generated orders that intake accepts (one in every currency of the pinned table,
 * so every scale 0..3; non-ASCII text at the code point limits; every fourth order 100 lines, every other one 20
 * attributes) go through the local pipeline (HTTP intake, embedded SQS, confirmation, the table, EventBridge to the
 * subscriber queue). Every one must be confirmed, read back unchanged by {@code GET /orders/{id}}, and published as
 * an OrderConfirmed that validates against the v1 schema. Prints one summary line.
 *
 * <p>The orders are drawn from a seeded QuickTheories source (one example: the whole batch, since one pipeline run
 * checks them all; no shrinking, which would rerun the pipeline). {@code -DorderContract.seed=<seed>} replays a run.
 */
class OrderContractEndToEndIT {
    private static final long SEED = Long.getLong("orderContract.seed", new Random().nextLong());
    /** Generous for a loaded 2-core machine; the test waits only as long as the pipeline needs. */
    private static final Duration CONFIRMATION = Duration.ofMinutes(3);
    private static final String CUSTOMER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-";
    private static final String SKU_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    /** Non-ASCII and edge code points the queue, the table and the bus all carry (never a control, U+FFFE/U+FFFF). */
    private static final int[] TEXT = ("aZ09 .,'\"\\/~{}<>&äöüßéñøÆ中文字€☕\u00A0\uD7FF\uE000\uFDD0\uFFFD"
            + "\uD83D\uDE00\uD83D\uDEB2\uD800\uDC00\uDBFF\uDFFD").codePoints().toArray();
    private static final String[] COUNTRIES = Locale.getISOCountries();

    /** One generated order: the body sent, and what GET must answer for it. */
    record Generated(String body, String currency, String total, int lines, Map<String, String> attributes, String name) {
    }

    @Test
    void pipeline_whenGivenGeneratedAcceptedOrdersInEveryCurrency_confirmsEachWithASchemaValidEvent() {
        Gen<List<Generated>> batches = source -> {
            SplittableRandom random = new SplittableRandom(source.next(Constraint.between(Long.MIN_VALUE, Long.MAX_VALUE)));
            List<Currency> currencies = new ArrayList<>(CurrencyTable.entries().values().stream()
                    .flatMap(e -> e.orderCurrency().stream()).toList());
            Collections.shuffle(currencies, new Random(random.nextLong()));
            List<Generated> orders = new ArrayList<>();
            for (int i = 0; i < currencies.size(); i++) {
                orders.add(order(random, currencies.get(i), i % 4 == 0 ? OrderSubmission.MAX_LINES : 1 + random.nextInt(100),
                        i % 2 == 0 ? OrderSubmission.MAX_ATTRIBUTES : random.nextInt(OrderSubmission.MAX_ATTRIBUTES + 1)));
            }
            return orders;
        };
        qt().withFixedSeed(SEED).withExamples(1).withShrinkCycles(0).forAll(batches).checkAssert(this::assertConfirmedEndToEnd);
    }

    private void assertConfirmedEndToEnd(List<Generated> orders) {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalSettings.forTests().withVisibilityTimeout(60));
             PipelineClient client = new PipelineClient(pipeline)) {
            List<String> ids = client.submitAllAccepted(orders.stream().map(Generated::body).toList());
            Map<String, JsonNode> confirmed = client.awaitConfirmed(ids, CONFIRMATION);
            Map<String, List<JsonNode>> events = client.drainSubscriber(ids.size(), CONFIRMATION);

            int unconfirmed = 0;
            List<String> violations = new ArrayList<>();
            TreeSet<Integer> scales = new TreeSet<>();
            for (int i = 0; i < ids.size(); i++) {
                Generated sent = orders.get(i);
                JsonNode got = confirmed.get(ids.get(i));
                if (got == null || !events.containsKey(ids.get(i))) {
                    unconfirmed++;
                    continue;
                }
                String about = "order " + i + " in " + sent.currency() + " (seed " + SEED + ")";
                assertThat(got.get("currency").asText()).as("currency of %s", about).isEqualTo(sent.currency());
                assertThat(got.get("total").asText()).as("total of %s", about).isEqualTo(sent.total());
                assertThat(got.get("lines")).as("lines of %s", about).hasSize(sent.lines());
                Map<String, String> attributes = new LinkedHashMap<>();
                got.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().textValue()));
                assertThat(attributes).as("attributes of %s, read back by GET", about).isEqualTo(sent.attributes());
                assertThat(got.path("shippingAddress").path("name").textValue()).as("name of %s", about).isEqualTo(sent.name());
                scales.add(Currency.of(sent.currency()).minorUnits());
                for (JsonNode envelope : events.get(ids.get(i))) {
                    OrderConfirmedContract.schemaViolations(envelope.get("detail"))
                            .forEach(v -> violations.add(about + ": " + v.getMessage()));
                    assertThat(envelope.get("detail").get("total").asText()).as("event total of %s", about).isEqualTo(sent.total());
                }
            }
            System.out.printf("order contract end to end: seed %d, %d orders, %d currencies (scales %s), %d unconfirmed, "
                    + "%d schema violations%n", SEED, orders.size(), orders.stream().map(Generated::currency).distinct().count(),
                    scales, unconfirmed, violations.size());
            assertThat(unconfirmed).as("orders without a confirmation or an event").isZero();
            assertThat(violations).as("OrderConfirmed v1 schema violations").isEmpty();
            assertThat(scales).as("minor-unit scales covered").containsExactly(0, 2, 3);
        }
    }

    // ---------------------------------------------------------------- the generator

    private static Generated order(SplittableRandom random, Currency currency, int lineCount, int attributeCount) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("customerId", string(random, CUSTOMER_CHARS, 1 + random.nextInt(64)));
        json.put("currency", currency.code());
        ArrayNode lines = json.putArray("lines");
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < lineCount; i++) {
            int quantity = random.nextInt(4) == 0 ? OrderLine.MAX_QUANTITY : 1 + random.nextInt(OrderLine.MAX_QUANTITY);
            // at most 1000 a piece, so 100 lines x 10000 pieces stay within Money.MAX_AMOUNT; fewer decimals than the
            // scale are fine ("12.5" is EUR 12.50)
            int textScale = random.nextInt(currency.minorUnits() + 1);
            BigDecimal price = BigDecimal.valueOf(1 + random.nextLong(1000L * (long) Math.pow(10, textScale)), textScale);
            lines.addObject()
                    .put("sku", string(random, SKU_CHARS.substring(0, 36), 1) + string(random, SKU_CHARS, random.nextInt(32)))
                    .put("quantity", quantity)
                    .put("unitPrice", price.toPlainString());
            total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
        }
        String name = text(random, ShippingAddress.MAX_FIELD_LENGTH);
        json.putObject("shippingAddress")
                .put("name", name)
                .put("line1", text(random, 1 + random.nextInt(ShippingAddress.MAX_FIELD_LENGTH)))
                .put("city", text(random, 1 + random.nextInt(ShippingAddress.MAX_FIELD_LENGTH)))
                .put("postalCode", text(random, ShippingAddress.MAX_POSTAL_CODE_LENGTH))
                .put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
        Map<String, String> attributes = new LinkedHashMap<>();
        while (attributes.size() < attributeCount) {
            // at the limits: 64-code-point keys (a numbered prefix keeps them distinct) and 256-code-point values
            String prefix = attributes.size() + "-";
            attributes.put(prefix + text(random, OrderSubmission.MAX_ATTRIBUTE_KEY_LENGTH - prefix.length()),
                    text(random, OrderSubmission.MAX_ATTRIBUTE_VALUE_LENGTH));
        }
        if (!attributes.isEmpty()) {
            ObjectNode attrs = json.putObject("attributes");
            attributes.forEach(attrs::put);
        }
        return new Generated(OrderJson.write(json), currency.code(), total.setScale(currency.minorUnits()).toPlainString(),
                lineCount, attributes, name);
    }

    /** {@code length} code points of varied text, starting with a letter so it is never blank. */
    private static String text(SplittableRandom random, int length) {
        StringBuilder sb = new StringBuilder(length * 2).append((char) ('a' + random.nextInt(26)));
        for (int i = 1; i < length; i++) {
            sb.appendCodePoint(TEXT[random.nextInt(TEXT.length)]);
        }
        return sb.toString();
    }

    private static String string(SplittableRandom random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
