package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.json.OrderJson;
import dev.orderpipeline.domain.json.OrderSubmissionJson;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.Currency;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.InvalidOrderException;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.PendingOrder;
import dev.orderpipeline.domain.model.ShippingAddress;
import dev.orderpipeline.domain.model.Sku;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Stored order items stay readable whatever today's input rules say: the fixtures under
 * {@code src/test/resources/stored-orders/} are items as an older release could have written them, each holding
 * something today's intake refuses.
 */
class StoredOrderItemsTest {

    private static JsonNode fixture(String name) {
        try (InputStream in = StoredOrderItemsTest.class.getResourceAsStream("/stored-orders/" + name)) {
            return OrderJson.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DynamoDB JSON (S and N only, all a stored order uses) to the SDK's item map. */
    private static Map<String, AttributeValue> item(JsonNode fixture) {
        Map<String, AttributeValue> item = new HashMap<>();
        fixture.get("item").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            item.put(e.getKey(), v.has("N") ? AttributeValue.builder().n(v.get("N").textValue()).build()
                    : AttributeValue.builder().s(v.get("S").textValue()).build());
        });
        return item;
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-unversioned-withdrawn-currency-hrk.json", "v1-limits-looser-than-today.json",
            "v1-text-refused-today.json"})
    void fromItem_whenStoredOrderBreaksTodaysInputRules_readsItAsStored(String name) {
        Map<String, AttributeValue> item = item(fixture(name));
        String storedOrder = item.get(OrdersTable.ORDER).s();
        // the fixture is only worth something if today's intake would refuse it
        assertThatThrownBy(() -> OrderSubmissionJson.read(OrderJson.parse(storedOrder), ""))
                .isInstanceOf(InvalidOrderException.class);

        ConfirmedOrder order = DynamoDbOrderStore.fromItem(item);

        assertThat(order.orderId().value()).isEqualTo(item.get(OrdersTable.ORDER_ID).s());
        assertThat(order.orderNumber().sequence()).isEqualTo(Long.parseLong(item.get(OrdersTable.ORDER_NUMBER).n()));
        assertThat(order.fingerprint()).isEqualTo(item.get(OrdersTable.FINGERPRINT).s());
        // what is read back is written back byte for byte: nothing was normalised or dropped
        assertThat(OrderJson.parse(OrderJson.write(OrderSubmissionJson.write(order.order().submission()))))
                .isEqualTo(OrderJson.parse(storedOrder));
    }

    @Test
    void fromItem_whenCurrencyIsWithdrawn_keepsItsCodeAndTheStoredScale() {
        ConfirmedOrder order = DynamoDbOrderStore.fromItem(item(fixture("v1-unversioned-withdrawn-currency-hrk.json")));

        assertThat(order.order().submission().currency()).isEqualTo(new Currency("HRK", 2));
        assertThat(order.order().submission().total().toDecimalString()).isEqualTo("150.00");
    }

    @Test
    void toItem_whenReadBack_givesTheSameOrderAndCarriesTheItemVersion() {
        Currency jpy = Currency.of("JPY");
        PendingOrder pending = new PendingOrder(OrderId.random(), Instant.parse("2026-11-26T10:00:00.5Z"),
                new OrderSubmission(new CustomerId("c-1"), jpy,
                        List.of(new OrderLine(new Sku("TEA"), 2, new Money(jpy, new BigDecimal("1200")))),
                        Optional.of(new ShippingAddress("Zoë \uD83D\uDEB2", "1 Rue", null, "Lyon", null, "69001", "FR")),
                        Map.of("note", "\uFFFD")));
        ConfirmedOrder order = new ConfirmedOrder(pending, new OrderNumber(7), Instant.parse("2026-11-26T10:00:01Z"), "f");

        Map<String, AttributeValue> item = DynamoDbOrderStore.toItem(order);

        assertThat(item.get(DynamoDbOrderStore.ITEM_VERSION).n()).isEqualTo("1");
        assertThat(DynamoDbOrderStore.fromItem(item)).isEqualTo(order);
    }

    @Test
    void fromItem_whenItemVersionIsNewerThanThisCode_refusesWithAClearReason() {
        Map<String, AttributeValue> item = item(fixture("v1-text-refused-today.json"));
        item.put(DynamoDbOrderStore.ITEM_VERSION, AttributeValue.builder().n("2").build());

        assertThatThrownBy(() -> DynamoDbOrderStore.fromItem(item))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("version 2");
    }
}
