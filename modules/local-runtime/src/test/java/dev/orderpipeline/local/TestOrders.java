package dev.orderpipeline.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import dev.orderpipeline.domain.model.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** Valid order submissions for the HTTP API, varied in currency (EUR, JPY, BHD), line count, address and attributes. */
final class TestOrders {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CURRENCIES = List.of("EUR", "JPY", "BHD");

    private TestOrders() {
    }

    record Line(String sku, int quantity, String unitPrice) {
    }

    /** One submission and what the pipeline must make of it. */
    record TestOrder(String customerId, String currency, List<Line> lines, boolean withAddress,
                     Map<String, String> attributes) {

        String json() {
            ObjectNode root = JSON.createObjectNode();
            root.put("customerId", customerId);
            root.put("currency", currency);
            ArrayNode array = root.putArray("lines");
            for (Line l : lines) {
                array.addObject().put("sku", l.sku()).put("quantity", l.quantity()).put("unitPrice", l.unitPrice());
            }
            if (withAddress) {
                root.putObject("shippingAddress")
                        .put("name", "Ada Lovelace")
                        .put("line1", "12 Example Street")
                        .put("city", "London")
                        .put("postalCode", "N1 9GU")
                        .put("country", "GB");
            }
            if (!attributes.isEmpty()) {
                ObjectNode attrs = root.putObject("attributes");
                attributes.forEach(attrs::put);
            }
            return root.toString();
        }

        /** The total as the API and the event spell it: a plain decimal at the currency's minor-unit scale. */
        String expectedTotal() {
            int scale = Currency.of(currency).minorUnits();
            BigDecimal total = BigDecimal.ZERO;
            for (Line l : lines) {
                total = total.add(new BigDecimal(l.unitPrice()).multiply(BigDecimal.valueOf(l.quantity())));
            }
            return total.setScale(scale).toPlainString();
        }

        /** The same customer and lines with one more unit on the first line: different content, same identity. */
        TestOrder withOneMoreUnit() {
            List<Line> changed = new ArrayList<>(lines);
            Line first = changed.get(0);
            changed.set(0, new Line(first.sku(), first.quantity() + 1, first.unitPrice()));
            return new TestOrder(customerId, currency, changed, withAddress, attributes);
        }

        Optional<String> addressCountry() {
            return withAddress ? Optional.of("GB") : Optional.empty();
        }
    }

    /** The i-th order of a varied set: currencies rotate, every third has an address, every fourth attributes. */
    static TestOrder varied(int i) {
        String currency = CURRENCIES.get(i % CURRENCIES.size());
        List<Line> lines = new ArrayList<>();
        for (int j = 0; j < 1 + i % 3; j++) {
            lines.add(new Line("SKU-" + i + "-" + j, 1 + (i + j) % 4, price(currency, i + j)));
        }
        Map<String, String> attributes = new TreeMap<>();
        if (i % 4 == 0) {
            attributes.put("channel", "web");
            attributes.put("campaign", "spring-" + i);
        }
        return new TestOrder("customer-" + (i % 7), currency, List.copyOf(lines), i % 3 == 0, Map.copyOf(attributes));
    }

    static List<TestOrder> varied(int count, int offset) {
        return IntStream.range(offset, offset + count).mapToObj(TestOrders::varied).toList();
    }

    /** A unit price with exactly the currency's minor-unit digits: 12.05 EUR, 1300 JPY, 2.014 BHD. */
    private static String price(String currency, int k) {
        return switch (currency) {
            case "EUR" -> String.format(Locale.ROOT, "%d.%02d", 10 + k, k % 100);
            case "JPY" -> Integer.toString(100 * (1 + k));
            case "BHD" -> String.format(Locale.ROOT, "%d.%03d", 1 + k % 5, (7 * k) % 1000);
            default -> throw new IllegalArgumentException(currency);
        };
    }
}
