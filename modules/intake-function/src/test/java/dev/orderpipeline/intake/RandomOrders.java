package dev.orderpipeline.intake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.model.CurrencyTable;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.ShippingAddress;
import dev.orderpipeline.domain.model.Sku;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import dev.orderpipeline.domain.model.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * Generates valid orders, biased towards the edges of every rule (1 and 100 lines, quantity 1 and 10000, the smallest
 * price of a currency, 64-character customer ids, 256-character attribute values). Each order comes with the JSON a
 * client would send and, built independently of the JSON reader, the submission it must be read as.
 *
 * <p>Every random choice is a {@link Draws} call. Over QuickTheories' {@link RandomnessSource} the order's shape (line
 * count, text lengths, which optional parts are present, field order) is drawn choice by choice, and each element (a
 * line, the address, an attribute, the characters of a text) as two choices: whether it takes its simplest form, and
 * otherwise the seed of its content. The lower bound of each choice is its simplest outcome (fewest lines, shortest
 * text, no optional part, fields in a fixed order, simplest elements), so a shrunk counterexample is a small order.
 */
final class RandomOrders {
    /** Every currency intake accepts (from the pinned table), the common ones first so that shrinking ends at EUR. */
    static final List<String> CURRENCIES = currencies();
    /** Prices stay at or below this, so that 100 lines x 10000 pieces never exceed Money.MAX_AMOUNT (1e9). */
    static final BigDecimal MAX_PRICE = new BigDecimal("1000");
    private static final String CUSTOMER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-";
    private static final String SKU_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SKU_REST = SKU_FIRST + "-";
    /** Free text: ASCII, Latin-1 letters, CJK, supplementary characters (surrogate pairs), JSON-significant and
     * pointer-significant characters, and the edges of what the queue carries (U+00A0, U+D7FF, U+E000, U+FDD0,
     * U+FFFD, U+10000, U+10FFFD). Never a control character, U+FFFE/U+FFFF or a lone surrogate. */
    private static final int[] TEXT_CODE_POINTS = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
            + ".,;:!?'\"\\/~{}[]<>#%&*+=-_ äöüßéèçñøåÆ 中文字 € ☕ \uD83D\uDE00 \u00A0\uD7FF\uE000\uFDD0\uFFFD"
            + "\uD800\uDC00\uDBFF\uDFFD").codePoints().toArray();
    private static final String[] COUNTRIES = Locale.getISOCountries();

    /** A generated order: what is sent, and what it must be read as. */
    record GeneratedOrder(ObjectNode json, OrderSubmission expected, List<String> unitPriceTexts) {
        Currency currency() {
            return expected.currency();
        }
    }

    /** The random choices the generator makes; each shrinks towards {@code min}. */
    interface Draws {
        /** 1 in this many fresh elements takes its simplest form (the other shapes stay as frequent as before). */
        int SIMPLEST_ONE_IN = 16;

        /** A number in min..max (inclusive). */
        long between(long min, long max);

        /**
         * The draws for one element. QuickTheories' shrinker (0.26) changes one randomly picked recorded choice per
         * cycle; recorded character by character, a large order is ~10^4 choices and barely shrinks, recorded as
         * elements it is a few hundred, and one change turns a whole element into its simplest form.
         */
        default Draws element() {
            // both choices are always drawn, so that shrinking the first keeps the choices after it in place
            boolean simplest = between(0, SIMPLEST_ONE_IN - 1) == 0;
            long seed = between(Long.MIN_VALUE, Long.MAX_VALUE);
            return simplest ? Simplest.INSTANCE : new Seeded(seed);
        }

        /** Draws recorded by QuickTheories, which can replay them with smaller values. */
        static Draws over(RandomnessSource source) {
            // a choice with one outcome is not drawn: it would only lengthen what the shrinker has to work through
            return (min, max) -> min == max ? min : source.next(Constraint.between(min, max));
        }

        default int between(int min, int max) {
            return Math.toIntExact(between((long) min, (long) max));
        }

        /** A number in 0..bound-1. */
        default int nextInt(int bound) {
            return between(0, bound - 1);
        }

        /** Shrinks towards false. */
        default boolean nextBoolean() {
            return between(0, 1) == 1;
        }
    }

    /** An element's simplest form: every choice at its lower bound. */
    enum Simplest implements Draws {
        INSTANCE;

        @Override
        public long between(long min, long max) {
            return min;
        }

        @Override
        public Draws element() {
            return this;
        }
    }

    /** An element's content: uniform choices from the element's recorded seed. */
    static final class Seeded implements Draws {
        private final SplittableRandom random;

        Seeded(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        public long between(long min, long max) {
            return min == max ? min : random.nextLong(min, max + 1); // callers' bounds stay far below Long.MAX_VALUE
        }

        @Override
        public Draws element() {
            return this;
        }
    }

    private final Draws random;

    RandomOrders(Draws random) {
        this.random = random;
    }

    private static List<String> currencies() {
        List<String> codes = new ArrayList<>(List.of("EUR", "USD", "JPY", "BHD", "GBP"));
        CurrencyTable.entries().values().stream()
                .filter(e -> e.orderCurrency().isPresent() && !codes.contains(e.code()))
                .forEach(e -> codes.add(e.code()));
        return List.copyOf(codes);
    }

    GeneratedOrder next() {
        return next(Currency.of(pick(random, CURRENCIES)));
    }

    GeneratedOrder next(Currency currency) {
        int scale = currency.minorUnits();
        String customerId = string(random, CUSTOMER_CHARS, edgy(random, 1, CustomerId.MAX_LENGTH));

        int lineCount = edgy(random, 1, OrderSubmission.MAX_LINES);
        ArrayNode linesJson = JsonNodeFactory.instance.arrayNode();
        List<OrderLine> lines = new ArrayList<>();
        List<String> priceTexts = new ArrayList<>();
        for (int i = 0; i < lineCount; i++) {
            Draws draws = random.element();
            String sku = string(draws, SKU_FIRST, 1) + string(draws, SKU_REST, edgy(draws, 0, Sku.MAX_LENGTH - 1));
            int quantity = edgy(draws, 1, OrderLine.MAX_QUANTITY);
            String price = priceText(draws, scale);
            ObjectNode line = linesJson.addObject();
            for (String field : shuffled(draws, List.of("sku", "quantity", "unitPrice"))) {
                switch (field) {
                    case "sku" -> line.put("sku", sku);
                    case "quantity" -> line.put("quantity", quantity);
                    default -> line.put("unitPrice", price);
                }
            }
            // the expectation: the price as a decimal, normalised to the currency's scale
            lines.add(new OrderLine(new Sku(sku), quantity, new Money(currency, new BigDecimal(price).setScale(scale))));
            priceTexts.add(price);
        }

        Optional<ShippingAddress> address = random.nextBoolean() ? Optional.of(address(random.element())) : Optional.empty();
        Map<String, String> attributes = random.nextBoolean() ? attributes() : Map.of();

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Map<String, Runnable> fields = new LinkedHashMap<>();
        fields.put("customerId", () -> json.put("customerId", customerId));
        fields.put("currency", () -> json.put("currency", currency.code()));
        fields.put("lines", () -> json.set("lines", linesJson));
        address.ifPresent(a -> fields.put("shippingAddress", () -> json.set("shippingAddress", addressJson(a))));
        if (!attributes.isEmpty() || random.nextInt(8) == 7) {
            // now and then an explicit empty attributes object, which means the same as none (7: shrinks to none)
            fields.put("attributes", () -> {
                ObjectNode attrs = json.putObject("attributes");
                attributes.forEach(attrs::put);
            });
        }
        shuffled(random, List.copyOf(fields.keySet())).forEach(f -> fields.get(f).run());

        OrderSubmission expected = new OrderSubmission(new CustomerId(customerId), currency, lines, address, attributes);
        return new GeneratedOrder(json, expected, priceTexts);
    }

    /** A price at most at the currency's scale (fewer decimals are fine: "12.5" is EUR 12.50), above 0, at most 1000. */
    private static String priceText(Draws draws, int scale) {
        int textScale = draws.nextInt(scale + 1);
        BigInteger maxUnscaled = MAX_PRICE.movePointRight(textScale).toBigIntegerExact();
        long unscaled = edgy(draws, 1, maxUnscaled.longValueExact()); // 1: the smallest amount at this scale
        return new BigDecimal(BigInteger.valueOf(unscaled), textScale).toPlainString();
    }

    private static ShippingAddress address(Draws draws) {
        return new ShippingAddress(
                freeText(draws, 1, ShippingAddress.MAX_FIELD_LENGTH),
                freeText(draws, 1, ShippingAddress.MAX_FIELD_LENGTH),
                draws.nextBoolean() ? freeText(draws, 1, ShippingAddress.MAX_FIELD_LENGTH) : null,
                freeText(draws, 1, ShippingAddress.MAX_FIELD_LENGTH),
                draws.nextBoolean() ? freeText(draws, 1, ShippingAddress.MAX_FIELD_LENGTH) : null,
                freeText(draws, 1, ShippingAddress.MAX_POSTAL_CODE_LENGTH),
                COUNTRIES[draws.nextInt(COUNTRIES.length)]);
    }

    private static ObjectNode addressJson(ShippingAddress a) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", a.name());
        json.put("line1", a.line1());
        if (a.line2() != null) {
            json.put("line2", a.line2());
        }
        json.put("city", a.city());
        if (a.region() != null) {
            json.put("region", a.region());
        }
        json.put("postalCode", a.postalCode());
        json.put("country", a.country());
        return json;
    }

    private Map<String, String> attributes() {
        int count = edgy(random, 1, OrderSubmission.MAX_ATTRIBUTES);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Draws draws = random.element();
            String key = freeText(draws, 1, OrderSubmission.MAX_ATTRIBUTE_KEY_LENGTH);
            // a key drawn twice (always so for simplest elements) gets a numbered suffix, so the count is exact
            for (int n = 2; attributes.containsKey(key); n++) {
                String suffix = "-" + n;
                int end = Math.min(key.length(), OrderSubmission.MAX_ATTRIBUTE_KEY_LENGTH - suffix.length());
                key = key.substring(0, Character.isHighSurrogate(key.charAt(end - 1)) ? end - 1 : end) + suffix;
            }
            attributes.put(key, freeText(draws, 0, OrderSubmission.MAX_ATTRIBUTE_VALUE_LENGTH));
        }
        return attributes;
    }

    /** Text of min..max code points (the unit of every text limit) that is not blank when min > 0 (it starts with a letter). */
    private static String freeText(Draws draws, int min, int max) {
        int length = edgy(draws, min, max);
        Draws chars = draws.element();
        StringBuilder sb = new StringBuilder(length * 2);
        if (length > 0) {
            sb.append((char) ('a' + chars.nextInt(26)));
        }
        for (int count = Math.min(length, 1); count < length; count++) {
            sb.appendCodePoint(TEXT_CODE_POINTS[chars.nextInt(TEXT_CODE_POINTS.length)]);
        }
        return sb.toString();
    }

    /** A number in min..max: a third of the time one of the bounds. */
    static int edgy(Draws draws, int min, int max) {
        return Math.toIntExact(edgy(draws, (long) min, (long) max));
    }

    private static long edgy(Draws draws, long min, long max) {
        // both choices are always drawn, so that shrinking the first keeps the choices after it in place; the kinds
        // are ordered min < any < max, so that a maximum shrinks through the values in between
        int kind = draws.nextInt(6);
        long any = draws.between(min, max);
        return switch (kind) {
            case 0 -> min;
            case 5 -> max;
            default -> any;
        };
    }

    static <T> T pick(Draws draws, List<T> values) {
        return values.get(draws.nextInt(values.size()));
    }

    private static String string(Draws draws, String alphabet, int length) {
        Draws chars = draws.element();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(chars.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Fisher-Yates; every draw shrinks towards "no swap", so the simplest order is the given one. */
    private static <T> List<T> shuffled(Draws draws, List<T> values) {
        List<T> copy = new ArrayList<>(values);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = i - draws.between(0, i);
            copy.set(j, copy.set(i, copy.get(j)));
        }
        return copy;
    }
}
