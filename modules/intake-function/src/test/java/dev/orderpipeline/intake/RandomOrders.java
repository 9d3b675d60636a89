package dev.orderpipeline.intake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.ShippingAddress;
import dev.orderpipeline.domain.model.Sku;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Generates valid orders from a seeded {@link Random}, biased towards the edges of every rule (1 and 100 lines,
 * quantity 1 and 10000, the smallest price of a currency, 64-character customer ids, 256-character attribute values).
 * Each order comes with the JSON a client would send and, built independently of the JSON reader, the submission it
 * must be read as.
 */
final class RandomOrders {
    static final List<String> CURRENCIES = List.of("EUR", "USD", "JPY", "BHD", "GBP");
    /** Prices stay at or below this, so that 100 lines x 10000 pieces never exceed Money.MAX_AMOUNT (1e9). */
    static final BigDecimal MAX_PRICE = new BigDecimal("1000");
    private static final String CUSTOMER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-";
    private static final String SKU_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SKU_REST = SKU_FIRST + "-";
    /** Free text: ASCII, Latin-1 letters, CJK, a supplementary character (a surrogate pair), JSON-significant and
     * pointer-significant characters. Never a control character. */
    private static final int[] TEXT_CODE_POINTS = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
            + ".,;:!?'\"\\/~{}[]<>#%&*+=-_ äöüßéèçñøåÆ 中文字 € ☕ \uD83D\uDE00").codePoints().toArray();
    private static final String[] COUNTRIES = Locale.getISOCountries();

    /** A generated order: what is sent, and what it must be read as. */
    record GeneratedOrder(ObjectNode json, OrderSubmission expected, List<String> unitPriceTexts) {
        Currency currency() {
            return expected.currency();
        }
    }

    private final Random random;

    RandomOrders(Random random) {
        this.random = random;
    }

    GeneratedOrder next() {
        Currency currency = Currency.getInstance(pick(CURRENCIES));
        int scale = currency.getDefaultFractionDigits();
        String customerId = string(CUSTOMER_CHARS, edgy(1, CustomerId.MAX_LENGTH));

        int lineCount = edgy(1, OrderSubmission.MAX_LINES);
        ArrayNode linesJson = JsonNodeFactory.instance.arrayNode();
        List<OrderLine> lines = new ArrayList<>();
        List<String> priceTexts = new ArrayList<>();
        for (int i = 0; i < lineCount; i++) {
            String sku = string(SKU_FIRST, 1) + string(SKU_REST, edgy(0, Sku.MAX_LENGTH - 1));
            int quantity = edgy(1, OrderLine.MAX_QUANTITY);
            String price = priceText(scale);
            ObjectNode line = linesJson.addObject();
            for (String field : shuffled(List.of("sku", "quantity", "unitPrice"))) {
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

        Optional<ShippingAddress> address = random.nextBoolean() ? Optional.of(address()) : Optional.empty();
        Map<String, String> attributes = random.nextBoolean() ? attributes() : Map.of();

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Map<String, Runnable> fields = new LinkedHashMap<>();
        fields.put("customerId", () -> json.put("customerId", customerId));
        fields.put("currency", () -> json.put("currency", currency.getCurrencyCode()));
        fields.put("lines", () -> json.set("lines", linesJson));
        address.ifPresent(a -> fields.put("shippingAddress", () -> json.set("shippingAddress", addressJson(a))));
        if (!attributes.isEmpty() || random.nextInt(8) == 0) {
            // now and then an explicit empty attributes object, which means the same as none
            fields.put("attributes", () -> {
                ObjectNode attrs = json.putObject("attributes");
                attributes.forEach(attrs::put);
            });
        }
        shuffled(List.copyOf(fields.keySet())).forEach(f -> fields.get(f).run());

        OrderSubmission expected = new OrderSubmission(new CustomerId(customerId), currency, lines, address, attributes);
        return new GeneratedOrder(json, expected, priceTexts);
    }

    /** A price at most at the currency's scale (fewer decimals are fine: "12.5" is EUR 12.50), above 0, at most 1000. */
    private String priceText(int scale) {
        int textScale = random.nextInt(scale + 1);
        BigInteger maxUnscaled = MAX_PRICE.movePointRight(textScale).toBigIntegerExact();
        long unscaled = switch (random.nextInt(6)) {
            case 0 -> 1; // the smallest amount at this scale
            case 1 -> maxUnscaled.longValueExact();
            default -> 1 + (long) (random.nextDouble() * maxUnscaled.longValueExact());
        };
        return new BigDecimal(BigInteger.valueOf(Math.min(unscaled, maxUnscaled.longValueExact())), textScale).toPlainString();
    }

    private ShippingAddress address() {
        return new ShippingAddress(
                freeText(1, ShippingAddress.MAX_FIELD_LENGTH),
                freeText(1, ShippingAddress.MAX_FIELD_LENGTH),
                random.nextBoolean() ? freeText(1, ShippingAddress.MAX_FIELD_LENGTH) : null,
                freeText(1, ShippingAddress.MAX_FIELD_LENGTH),
                random.nextBoolean() ? freeText(1, ShippingAddress.MAX_FIELD_LENGTH) : null,
                freeText(1, ShippingAddress.MAX_POSTAL_CODE_LENGTH),
                COUNTRIES[random.nextInt(COUNTRIES.length)]);
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
        int count = edgy(1, OrderSubmission.MAX_ATTRIBUTES);
        Map<String, String> attributes = new LinkedHashMap<>();
        while (attributes.size() < count) {
            attributes.put(freeText(1, OrderSubmission.MAX_ATTRIBUTE_KEY_LENGTH),
                    freeText(0, OrderSubmission.MAX_ATTRIBUTE_VALUE_LENGTH));
        }
        return attributes;
    }

    /** Text of min..max UTF-16 chars that is not blank when min > 0 (it starts with a letter). */
    private String freeText(int min, int max) {
        int length = edgy(min, max);
        StringBuilder sb = new StringBuilder(length);
        if (length > 0) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        while (sb.length() < length) {
            int cp = TEXT_CODE_POINTS[random.nextInt(TEXT_CODE_POINTS.length)];
            if (sb.length() + Character.charCount(cp) <= length) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    /** A number in min..max: a third of the time one of the bounds. */
    int edgy(int min, int max) {
        return switch (random.nextInt(6)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + random.nextInt(max - min + 1);
        };
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String string(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private <T> List<T> shuffled(List<T> values) {
        List<T> copy = new ArrayList<>(values);
        Collections.shuffle(copy, random);
        return copy;
    }
}
