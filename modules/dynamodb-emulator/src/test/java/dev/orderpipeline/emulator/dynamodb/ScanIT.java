package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

class ScanIT extends EmulatorFixture {

    /** Partition "customer-1" holds order#01..order#12 and a profile item; "customer-2" one order. */
    private static String tableWithOrders() {
        String table = createTable(true);
        for (int i = 1; i <= 12; i++) {
            String sk = String.format("order#%02d", i);
            int amount = i * 10;
            dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("customer-1"), "sk", s(sk),
                    "amount", n(String.valueOf(amount)))));
        }
        dynamoDb.putItem(b -> b.tableName(table).item(key("customer-1", "profile")));
        dynamoDb.putItem(b -> b.tableName(table).item(key("customer-2", "order#01")));
        return table;
    }

    @Test
    void scan_whenPaginated_returnsEveryItemExactlyOnce() {
        String table = createTable(true);
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < 7; p++) {
            for (int s = 0; s < 5; s++) {
                String pk = "p" + p;
                String sk = "s" + s;
                dynamoDb.putItem(b -> b.tableName(table).item(key(pk, sk)));
                expected.add(pk + "/" + sk);
            }
        }

        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            ScanResponse page = dynamoDb.scan(b -> b.tableName(table).limit(4).exclusiveStartKey(exclusiveStart));
            page.items().forEach(item -> seen.add(item.get("pk").s() + "/" + item.get("sk").s()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);

        assertThat(seen).hasSize(35).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pages).isEqualTo(9);
    }

    @Test
    void scan_whenFilterGiven_returnsMatchingItemsButCountsAllRead() {
        String table = tableWithOrders();

        ScanResponse response = dynamoDb.scan(b -> b.tableName(table)
                .filterExpression("attribute_exists(amount) AND (amount < :low OR amount > :high)")
                .expressionAttributeValues(Map.of(":low", n("20"), ":high", n("110"))));

        assertThat(response.items()).extracting(item -> item.get("amount").n()).containsExactlyInAnyOrder("10", "120");
        assertThat(response.scannedCount()).isEqualTo(14);
    }
}
