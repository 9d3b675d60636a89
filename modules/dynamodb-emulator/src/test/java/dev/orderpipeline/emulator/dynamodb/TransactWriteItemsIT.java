package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class TransactWriteItemsIT extends EmulatorFixture {

    /** Put a new order, advance the order-number counter by CAS, and require the customer to exist. */
    private static TransactWriteItem[] confirmOrder(String table, String orderId, String expectedCounter) {
        return new TransactWriteItem[] {
            TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(Map.of("pk", s(orderId), "state", s("CONFIRMED")))
                    .conditionExpression("attribute_not_exists(pk)")).build(),
            TransactWriteItem.builder().update(u -> u.tableName(table).key(key("counter"))
                    .updateExpression("SET #v = :next").conditionExpression("#v = :expected")
                    .expressionAttributeNames(Map.of("#v", "value"))
                    .expressionAttributeValues(Map.of(":expected", n(expectedCounter),
                            ":next", n(String.valueOf(Integer.parseInt(expectedCounter) + 1))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
            TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("customer"))
                    .conditionExpression("attribute_exists(pk)")).build()
        };
    }

    @Test
    void transactWriteItems_whenAllConditionsHold_appliesEveryWrite() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("counter"), "value", n("7"))));
        dynamoDb.putItem(b -> b.tableName(table).item(key("customer")));

        dynamoDb.transactWriteItems(b -> b.transactItems(confirmOrder(table, "order-1", "7")));

        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("order-1"))).item())
                .containsEntry("state", s("CONFIRMED"));
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("counter"))).item()).containsEntry("value", n("8"));
    }

    @Test
    void transactWriteItems_whenOneConditionFails_appliesNothingAndReportsReasonsInOrder() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("counter"), "value", n("8"))));
        dynamoDb.putItem(b -> b.tableName(table).item(key("customer")));

        assertThatThrownBy(() -> dynamoDb.transactWriteItems(b -> b.transactItems(confirmOrder(table, "order-2", "7"))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("TransactionCanceledException");
                    assertThat(e.getMessage()).contains(
                            "Transaction cancelled, please refer cancellation reasons for specific reasons "
                                    + "[None, ConditionalCheckFailed, None]");
                    assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
                            .containsExactly("None", "ConditionalCheckFailed", "None");
                    CancellationReason failed = e.cancellationReasons().get(1);
                    assertThat(failed.message()).isEqualTo("The conditional request failed");
                    assertThat(failed.item()).isEqualTo(Map.of("pk", s("counter"), "value", n("8")));
                    assertThat(e.cancellationReasons().get(0).hasItem()).isFalse();
                });
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("order-2"))).hasItem()).isFalse();
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("counter"))).item()).containsEntry("value", n("8"));
    }

    @Test
    void transactWriteItems_whenSeveralConditionsFail_reportsEachOne() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(key("order-3")));
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("counter"), "value", n("1"))));

        assertThatThrownBy(() -> dynamoDb.transactWriteItems(b -> b.transactItems(confirmOrder(table, "order-3", "1"))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e ->
                        assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
                                .containsExactly("ConditionalCheckFailed", "None", "ConditionalCheckFailed"));
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("counter"))).item()).containsEntry("value", n("1"));
    }

    @Test
    void transactWriteItems_whenTwoOperationsTargetOneItem_failsWithValidation() {
        String table = createTable(false);

        assertThatThrownBy(() -> dynamoDb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(key("same"))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("same"))).build())))
                .hasMessageContaining("Transaction request cannot include multiple operations on one item")
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
    }

    @Test
    void transactWriteItems_whenRetriedWithTheSameToken_appliesOnce() {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("counter"), "value", n("0"))));
        TransactWriteItem increment = TransactWriteItem.builder().update(u -> u.tableName(table).key(key("counter"))
                .updateExpression("ADD #v :one").expressionAttributeNames(Map.of("#v", "value"))
                .expressionAttributeValues(Map.of(":one", n("1")))).build();

        dynamoDb.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(increment));
        dynamoDb.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(increment));

        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(key("counter"))).item()).containsEntry("value", n("1"));
        assertThatThrownBy(() -> dynamoDb.transactWriteItems(b -> b.clientRequestToken("token-1")
                .transactItems(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("counter"))).build())))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("IdempotentParameterMismatchException"));
    }
}
