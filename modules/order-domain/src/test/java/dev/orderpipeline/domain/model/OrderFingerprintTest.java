package dev.orderpipeline.domain.model;

import static dev.orderpipeline.domain.TestOrders.EUR;
import static dev.orderpipeline.domain.TestOrders.eur;
import static dev.orderpipeline.domain.TestOrders.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.orderpipeline.domain.TestOrders;
import dev.orderpipeline.domain.json.OrderMessageJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderFingerprintTest {
    private static final ShippingAddress ADDRESS =
            new ShippingAddress("Ada Lovelace", "12 St James's Square", null, "London", null, "SW1Y 4JH", "GB");
    private static final List<OrderLine> LINES = List.of(line("SKU-1", 2, eur("12.50")), line("SKU-2", 1, eur("0.99")));

    private static OrderSubmission base() {
        return TestOrders.submission();
    }

    private static OrderSubmission with(List<OrderLine> lines) {
        OrderSubmission b = base();
        return new OrderSubmission(b.customerId(), b.currency(), lines, b.shippingAddress(), b.attributes());
    }

    private static OrderSubmission with(ShippingAddress address) {
        OrderSubmission b = base();
        return new OrderSubmission(b.customerId(), b.currency(), b.lines(), Optional.ofNullable(address), b.attributes());
    }

    private static OrderSubmission with(Map<String, String> attributes) {
        OrderSubmission b = base();
        return new OrderSubmission(b.customerId(), b.currency(), b.lines(), b.shippingAddress(), attributes);
    }

    private static Map<String, String> attributes(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void of_whenSubmissionIsEqual_givesSameHexSha256() {
        String fingerprint = OrderFingerprint.of(base());

        assertThat(OrderFingerprint.of(base())).isEqualTo(fingerprint);
        assertThat(fingerprint).matches("^[0-9a-f]{64}$");
    }

    @Test
    void of_whenAttributesAreInsertedInDifferentOrder_givesSameFingerprint() {
        OrderSubmission forward = with(attributes("giftWrap", "yes", "channel", "web"));
        OrderSubmission backward = with(attributes("channel", "web", "giftWrap", "yes"));

        assertThat(OrderFingerprint.of(backward)).isEqualTo(OrderFingerprint.of(forward));
    }

    @Test
    void of_whenTheSameOrderIsReEnqueuedLater_givesSameFingerprint() {
        // a client retry with the same Idempotency-Key is enqueued again with a later submittedAt
        PendingOrder first = new PendingOrder(TestOrders.orderId(1), Instant.parse("2026-11-26T10:00:00Z"), base());
        PendingOrder retry = new PendingOrder(TestOrders.orderId(1), Instant.parse("2026-11-26T10:05:00Z"), base());

        PendingOrder firstRead = OrderMessageJson.read(OrderMessageJson.write(first));
        PendingOrder retryRead = OrderMessageJson.read(OrderMessageJson.write(retry));

        assertThat(retryRead.submittedAt()).isNotEqualTo(firstRead.submittedAt());
        assertThat(OrderFingerprint.of(retryRead.submission())).isEqualTo(OrderFingerprint.of(firstRead.submission()));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change("customer", b -> new OrderSubmission(new CustomerId("cust-43"), EUR, b.lines(), b.shippingAddress(), b.attributes())),
                change("currency with same digits", b -> {
                    Currency usd = Currency.of("USD");
                    return new OrderSubmission(b.customerId(), usd,
                            List.of(line("SKU-1", 2, TestOrders.money(usd, "12.50")), line("SKU-2", 1, TestOrders.money(usd, "0.99"))),
                            b.shippingAddress(), b.attributes());
                }),
                change("line sku", b -> with(List.of(line("SKU-9", 2, eur("12.50")), LINES.get(1)))),
                change("line quantity", b -> with(List.of(line("SKU-1", 3, eur("12.50")), LINES.get(1)))),
                change("line unit price", b -> with(List.of(line("SKU-1", 2, eur("12.51")), LINES.get(1)))),
                change("same total, different split", b -> with(List.of(line("SKU-1", 1, eur("25.00")), LINES.get(1)))),
                change("line order", b -> with(List.of(LINES.get(1), LINES.get(0)))),
                change("line removed", b -> with(List.of(LINES.get(0)))),
                change("line added", b -> with(List.of(LINES.get(0), LINES.get(1), line("SKU-3", 1, eur("1.00"))))),
                change("address removed", b -> with((ShippingAddress) null)),
                change("address name", b -> with(new ShippingAddress("Ada King", ADDRESS.line1(), null, ADDRESS.city(), null, ADDRESS.postalCode(), "GB"))),
                change("address line1", b -> with(new ShippingAddress(ADDRESS.name(), "13 St James's Square", null, ADDRESS.city(), null, ADDRESS.postalCode(), "GB"))),
                change("address line2 added", b -> with(new ShippingAddress(ADDRESS.name(), ADDRESS.line1(), "Flat 1", ADDRESS.city(), null, ADDRESS.postalCode(), "GB"))),
                change("address region added", b -> with(new ShippingAddress(ADDRESS.name(), ADDRESS.line1(), null, ADDRESS.city(), "Flat 1", ADDRESS.postalCode(), "GB"))),
                change("address city", b -> with(new ShippingAddress(ADDRESS.name(), ADDRESS.line1(), null, "Londres", null, ADDRESS.postalCode(), "GB"))),
                change("address postal code", b -> with(new ShippingAddress(ADDRESS.name(), ADDRESS.line1(), null, ADDRESS.city(), null, "SW1Y 4JJ", "GB"))),
                change("address country", b -> with(new ShippingAddress(ADDRESS.name(), ADDRESS.line1(), null, ADDRESS.city(), null, ADDRESS.postalCode(), "IE"))),
                change("attribute value", b -> with(attributes("giftWrap", "no", "channel", "web"))),
                change("attribute key", b -> with(attributes("giftwrap", "yes", "channel", "web"))),
                change("attribute added", b -> with(attributes("giftWrap", "yes", "channel", "web", "note", ""))),
                change("attribute removed", b -> with(attributes("giftWrap", "yes"))),
                change("attributes cleared", b -> with(Map.of())));
    }

    private static Arguments change(String name, UnaryOperator<OrderSubmission> change) {
        return arguments(named(name, change));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void of_whenContentChanges_givesDifferentFingerprint(UnaryOperator<OrderSubmission> change) {
        OrderSubmission changed = change.apply(base());

        assertThat(changed).isNotEqualTo(base());
        assertThat(OrderFingerprint.of(changed)).isNotEqualTo(OrderFingerprint.of(base()));
    }

    @Test
    void of_whenLine2AndRegionSwapValues_givesDifferentFingerprints() {
        OrderSubmission inLine2 = with(new ShippingAddress("N", "L1", "X", "C", null, "P", "DE"));
        OrderSubmission inRegion = with(new ShippingAddress("N", "L1", null, "C", "X", "P", "DE"));

        assertThat(OrderFingerprint.of(inLine2)).isNotEqualTo(OrderFingerprint.of(inRegion));
    }

    @Test
    void of_whenAttributeBoundaryShifts_givesDifferentFingerprints() {
        // length prefixes keep {"ab":"c"} apart from {"a":"bc"}
        assertThat(OrderFingerprint.of(with(attributes("ab", "c"))))
                .isNotEqualTo(OrderFingerprint.of(with(attributes("a", "bc"))));
    }
}
