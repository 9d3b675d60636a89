package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

class ItemOperationsIT extends EmulatorFixture {

    @Test
    void putItem_whenItemHasEveryAttributeType_getItemReturnsItUnchanged() {
        String table = createTable(false);
        Map<String, AttributeValue> item = new HashMap<>(key("all-types"));
        item.put("s", s("text ünïcödé"));
        item.put("emptyString", s(""));
        item.put("n", n("-12.5"));
        item.put("big", n("123456789012345678901234567890.12345678"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xFF})));
        item.put("bool", AttributeValue.fromBool(true));
        item.put("null", AttributeValue.fromNul(true));
        item.put("m", AttributeValue.fromM(Map.of("nested", AttributeValue.fromL(List.of(n("1"), s("x"))))));
        item.put("l", AttributeValue.fromL(List.of(s("a"), AttributeValue.fromM(Map.of()), AttributeValue.fromL(List.of()))));
        item.put("ss", AttributeValue.fromSs(List.of("x", "y")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.5")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("p"), SdkBytes.fromUtf8String("q"))));

        dynamoDb.putItem(b -> b.tableName(table).item(item));

        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("all-types")).consistentRead(true)).item())
                .isEqualTo(item);
    }

    @Test
    void putItem_whenNumberHasRedundantZeros_storesItCanonically() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("n"), "n", n("0012.500"))));

        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("n"))).item().get("n").n()).isEqualTo("12.5");
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("n"), "n", n("13")))
                .conditionExpression("n = :old").expressionAttributeValues(Map.of(":old", n("12.50"))));
    }

    @Test
    void getItem_whenMissing_returnsNoItem() {
        String table = createTable(false);

        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("absent"))).hasItem()).isFalse();
    }

    @Test
    void putItem_whenConditionIsAttributeNotExists_succeedsOnceThenFailsWithTheExistingItem() {
        String table = createTable(false);
        Map<String, AttributeValue> first = Map.of("pk", s("order-1"), "status", s("PENDING"));

        dynamoDb.putItem(b -> b.tableName(table).item(first).conditionExpression("attribute_not_exists(pk)"));

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("order-1"), "status", s("CONFIRMED")))
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ConditionalCheckFailedException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The conditional request failed");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.item()).isEqualTo(first);
                });
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("order-1"))).item()).isEqualTo(first);
    }

    @Test
    void putItem_whenConditionFailsWithoutReturnValuesOnFailure_returnsNoItem() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(key("x")));

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(key("x"))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.hasItem()).isFalse());
    }

    @Test
    void putItem_whenReturnValuesAllOld_returnsReplacedItem() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "v", s("old"))));

        Map<String, AttributeValue> replaced = dynamoDb.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("k"), "v", s("new"))).returnValues(ReturnValue.ALL_OLD)).attributes();

        assertThat(replaced).isEqualTo(Map.of("pk", s("k"), "v", s("old")));
    }

    @Test
    void updateItem_whenSetAddAndRemove_appliesAllAndReturnsUpdatedNew() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("u"), "count", n("5"), "obsolete", s("x"),
                "tags", AttributeValue.fromSs(List.of("a")), "history", AttributeValue.fromL(List.of(s("h1"))))));

        UpdateItemResponse response = dynamoDb.updateItem(b -> b.tableName(table).key(key("u"))
                .updateExpression("SET #c = #c + :one, created = :now REMOVE obsolete ADD tags :tags, visits :one")
                .expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":one", n("1"), ":now", s("2024-01-01"),
                        ":tags", AttributeValue.fromSs(List.of("b"))))
                .returnValues(ReturnValue.UPDATED_NEW));

        assertThat(response.attributes()).isEqualTo(Map.of("count", n("6"), "created", s("2024-01-01"),
                "tags", AttributeValue.fromSs(List.of("a", "b")), "visits", n("1")));
        Map<String, AttributeValue> stored = dynamoDb.getItem(b -> b.tableName(table).key(key("u"))).item();
        assertThat(stored).doesNotContainKey("obsolete").containsEntry("count", n("6"));
    }

    @Test
    void updateItem_whenReturnValuesUpdatedOld_returnsTheOverwrittenValues() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("u"), "created", s("first"), "n", n("1"))));

        UpdateItemResponse response = dynamoDb.updateItem(b -> b.tableName(table).key(key("u"))
                .updateExpression("SET created = :now, n = :two")
                .expressionAttributeValues(Map.of(":now", s("second"), ":two", n("2")))
                .returnValues(ReturnValue.UPDATED_OLD));

        assertThat(response.attributes()).isEqualTo(Map.of("created", s("first"), "n", n("1")));
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("u"))).item()).containsEntry("created", s("second"));
    }

    @Test
    void updateItem_whenItemIsMissing_createsItWithTheKeyAndReturnsAllNew() {
        String table = createTable(true);

        UpdateItemResponse response = dynamoDb.updateItem(b -> b.tableName(table).key(key("new", "1"))
                .updateExpression("ADD hits :one").expressionAttributeValues(Map.of(":one", n("1")))
                .returnValues(ReturnValue.ALL_NEW));

        assertThat(response.attributes()).isEqualTo(Map.of("pk", s("new"), "sk", s("1"), "hits", n("1")));
    }

    @Test
    void updateItem_whenNestedPathsAndDeleteFromSet_updatesInPlace() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("d"),
                "address", AttributeValue.fromM(Map.of("city", s("Oslo"))),
                "notes", AttributeValue.fromL(List.of(s("a"), s("b"), s("c"))),
                "tags", AttributeValue.fromSs(List.of("x", "y")))));

        dynamoDb.updateItem(b -> b.tableName(table).key(key("d"))
                .updateExpression("SET address.zip = :zip, notes[1] = :b2 REMOVE notes[0] DELETE tags :x")
                .expressionAttributeValues(Map.of(":zip", s("0150"), ":b2", s("B"),
                        ":x", AttributeValue.fromSs(List.of("x", "y")))));

        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("d"))).item()).isEqualTo(Map.of("pk", s("d"),
                "address", AttributeValue.fromM(Map.of("city", s("Oslo"), "zip", s("0150"))),
                "notes", AttributeValue.fromL(List.of(s("B"), s("c")))));
    }

    /** The subscriber's store reads a late or repeated event's verdict from the item this failure returns. */
    @Test
    void updateItem_whenConditionFailsWithReturnValuesOnConditionCheckFailure_returnsTheItemAndWritesNothing() {
        String table = createTable(false);
        Map<String, AttributeValue> current = Map.of("pk", s("c"), "latestAt", n("20"),
                "tags", AttributeValue.fromSs(List.of("a")));
        dynamoDb.putItem(b -> b.tableName(table).item(current));

        assertThatThrownBy(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key("c"))
                .updateExpression("SET latestAt = :at ADD tags :t")
                .conditionExpression("attribute_not_exists(latestAt) OR latestAt < :at")
                .expressionAttributeValues(Map.of(":at", n("10"), ":t", AttributeValue.fromSs(List.of("b"))))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.item()).isEqualTo(current));
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("c")).consistentRead(true)).item()).isEqualTo(current);
    }

    @Test
    void updateItem_whenKeyAttributeIsUpdated_failsWithValidation() {
        String table = createTable(false);

        assertThatThrownBy(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key("k"))
                .updateExpression("SET pk = :v").expressionAttributeValues(Map.of(":v", s("other")))))
                .hasMessageContaining("Cannot update attribute pk. This attribute is part of the key")
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
    }

    @Test
    void updateItem_whenArithmeticOnMissingAttribute_failsWithValidation() {
        String table = createTable(false);

        assertThatThrownBy(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key("k"))
                .updateExpression("SET balance = balance + :v").expressionAttributeValues(Map.of(":v", n("1")))))
                .hasMessageContaining("The provided expression refers to an attribute that does not exist in the item");
    }

    @Test
    void putItem_whenKeyIsMissingOrOfWrongType_failsWithValidation() {
        String table = createTable(false);

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(Map.of("other", s("x")))))
                .hasMessageContaining("Missing the key pk in the item");
        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", n("1")))))
                .hasMessageContaining("Type mismatch for key pk expected: S actual: N");
        assertThatThrownBy(() -> dynamoDb.getItem(b -> b.tableName(table).key(Map.of("pk", s("x"), "extra", s("y")))))
                .hasMessageContaining("The provided key element does not match the schema");
    }

    @Test
    void putItem_whenItemExceeds400Kb_failsWithValidation() {
        String table = createTable(false);
        String large = "x".repeat(400 * 1024);

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("big"), "v", s(large)))))
                .hasMessageContaining("Item size has exceeded the maximum allowed size")
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
    }

}
