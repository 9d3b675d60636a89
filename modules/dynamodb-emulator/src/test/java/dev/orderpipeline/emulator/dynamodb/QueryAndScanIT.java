package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

class QueryAndScanIT extends EmulatorFixture {

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

    private static List<String> sortKeys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(item -> item.get("sk").s()).toList();
    }

    /** Runs the query page by page with the given Limit, checking every page but the last is full. */
    private static List<Map<String, AttributeValue>> queryAllPages(QueryRequest request, int limit) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamoDb.query(request.toBuilder().limit(limit).exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            if (start != null) {
                assertThat(page.count()).isEqualTo(limit);
            }
        } while (start != null);
        return items;
    }

    @Test
    void query_whenBeginsWithAndPaginated_returnsMatchingItemsInSortOrderExactlyOnce() {
        String table = tableWithOrders();
        QueryRequest request = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s("customer-1"), ":prefix", s("order#")))
                .build();

        List<Map<String, AttributeValue>> items = queryAllPages(request, 5);

        assertThat(sortKeys(items)).containsExactly("order#01", "order#02", "order#03", "order#04", "order#05",
                "order#06", "order#07", "order#08", "order#09", "order#10", "order#11", "order#12");
    }

    @Test
    void query_whenScanIndexForwardIsFalse_returnsDescendingAcrossPages() {
        String table = tableWithOrders();
        QueryRequest request = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s("customer-1"), ":from", s("order#03"), ":to", s("order#07")))
                .scanIndexForward(false)
                .build();

        assertThat(sortKeys(queryAllPages(request, 2)))
                .containsExactly("order#07", "order#06", "order#05", "order#04", "order#03");
    }

    @Test
    void query_whenSortKeyComparisonsUsed_selectsTheRange() {
        String table = tableWithOrders();

        for (String[] test : new String[][] {
            {"<", "order#03", "order#01,order#02"},
            {"<=", "order#02", "order#01,order#02"},
            {">", "order#11", "order#12,profile"},
            {">=", "order#12", "order#12,profile"},
            {"=", "order#05", "order#05"}}) {
            List<Map<String, AttributeValue>> items = dynamoDb.query(b -> b.tableName(table)
                    .keyConditionExpression("pk = :pk AND sk " + test[0] + " :v")
                    .expressionAttributeValues(Map.of(":pk", s("customer-1"), ":v", s(test[1])))).items();
            assertThat(String.join(",", sortKeys(items))).as("sk %s %s", test[0], test[1]).isEqualTo(test[2]);
        }
    }

    @Test
    void query_whenFilterAndProjectionGiven_filtersAfterReadingAndCountsBoth() {
        String table = tableWithOrders();

        QueryResponse response = dynamoDb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .filterExpression("amount >= :min AND NOT amount IN (:skip1, :skip2)")
                .projectionExpression("amount")
                .expressionAttributeValues(Map.of(":pk", s("customer-1"), ":prefix", s("order#"), ":min", n("90"),
                        ":skip1", n("100"), ":skip2", n("110"))));

        assertThat(response.items()).containsExactly(Map.of("amount", n("90")), Map.of("amount", n("120")));
        assertThat(response.count()).isEqualTo(2);
        assertThat(response.scannedCount()).isEqualTo(12);
    }

    @Test
    void query_whenSelectCount_returnsOnlyTheCount() {
        String table = tableWithOrders();

        QueryResponse response = dynamoDb.query(b -> b.tableName(table).select(Select.COUNT)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("customer-1"))));

        assertThat(response.count()).isEqualTo(13);
        assertThat(response.hasItems()).isFalse();
    }

    @Test
    void query_whenKeyConditionMissesPartitionKeyOrFilterUsesKey_failsWithValidation() {
        String table = tableWithOrders();

        assertThatThrownBy(() -> dynamoDb.query(b -> b.tableName(table).keyConditionExpression("sk = :v")
                .expressionAttributeValues(Map.of(":v", s("x")))))
                .hasMessageContaining("Query condition missed key schema element: pk");
        assertThatThrownBy(() -> dynamoDb.query(b -> b.tableName(table).keyConditionExpression("pk = :v OR sk = :v")
                .expressionAttributeValues(Map.of(":v", s("x")))))
                .hasMessageContaining("Invalid operator used in KeyConditionExpression: OR");
        assertThatThrownBy(() -> dynamoDb.query(b -> b.tableName(table).keyConditionExpression("pk = :v")
                .filterExpression("sk = :v").expressionAttributeValues(Map.of(":v", s("x")))))
                .hasMessageContaining("Filter Expression can only contain non-primary key attributes");
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
