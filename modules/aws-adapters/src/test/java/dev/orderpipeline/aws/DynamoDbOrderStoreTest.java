package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import dev.orderpipeline.domain.port.SaveOutcome;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The requests {@link DynamoDbOrderStore} sends, and how it reads DynamoDB's answers, on a recorded HTTP client. */
class DynamoDbOrderStoreTest {
    private static final String CANCELLED = "com.amazonaws.dynamodb.v20120810#TransactionCanceledException";
    private static final String CONDITION_FAILED = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";

    private final RecordingHttpClient http = new RecordingHttpClient();
    private final DynamoDbClient dynamoDb = http.client(DynamoDbClient.builder());
    private final DynamoDbOrderStore store = new DynamoDbOrderStore(dynamoDb, "orders");
    private final ConfirmedOrder order = TestOrders.confirmed(8);
    private final NumberClaim.Conditional strict = new NumberClaim.Conditional(order.orderNumber(), 7);
    private final NumberClaim.Reserved reserved = new NumberClaim.Reserved(order.orderNumber());

    @Test
    void saveNew_whenStrict_sendsOneTransactionOfOrderNumberGuardAndCounterAdvanceEachWithItsCondition() {
        SaveOutcome outcome = store.saveNew(order, strict);

        assertThat(outcome).isEqualTo(new SaveOutcome.Saved(order));
        RecordingHttpClient.Call call = http.onlyCall();
        assertThat(call.operation()).isEqualTo("TransactWriteItems");
        JsonNode items = call.body().get("TransactItems");
        assertThat(items).hasSize(3);
        JsonNode orderPut = items.get(0).get("Put");
        assertThat(orderPut.get("TableName").asText()).isEqualTo("orders");
        assertThat(orderPut.at("/Item/pk/S").asText()).isEqualTo("ORDER#" + order.orderId().value());
        assertThat(orderPut.get("ConditionExpression").asText()).isEqualTo("attribute_not_exists(#pk)");
        assertThat(orderPut.at("/ExpressionAttributeNames/#pk").asText()).isEqualTo("pk");
        assertThat(orderPut.get("ReturnValuesOnConditionCheckFailure").asText()).isEqualTo("ALL_OLD");
        JsonNode guard = items.get(1).get("Put");
        assertThat(guard.at("/Item/pk/S").asText()).isEqualTo("NUMBER#8");
        assertThat(guard.at("/Item/orderId/S").asText()).isEqualTo(order.orderId().value());
        assertThat(guard.get("ConditionExpression").asText()).isEqualTo("attribute_not_exists(#pk)");
        JsonNode counter = items.get(2).get("Update");
        assertThat(counter.at("/Key/pk/S").asText()).isEqualTo("COUNTER#order-number");
        assertThat(counter.get("ConditionExpression").asText()).isEqualTo("#last = :before");
        assertThat(counter.at("/ExpressionAttributeValues/:before/N").asText()).isEqualTo("7");
        assertThat(counter.at("/ExpressionAttributeValues/:next/N").asText()).isEqualTo("8");
        assertThat(counter.get("UpdateExpression").asText()).isEqualTo("SET #last = :next, #kind = :kind");
        assertThat(counter.get("ReturnValuesOnConditionCheckFailure").asText()).isEqualTo("ALL_OLD");
    }

    @Test
    void saveNew_whenTheCounterHasNeverBeenWritten_allowsItToBeAbsent() {
        store.saveNew(TestOrders.confirmed(1), new NumberClaim.Conditional(new dev.orderpipeline.domain.model.OrderNumber(1), 0));

        JsonNode counter = http.onlyCall().body().at("/TransactItems/2/Update");
        assertThat(counter.get("ConditionExpression").asText()).isEqualTo("attribute_not_exists(#pk) OR #last = :before");
    }

    @Test
    void saveNew_whenBlockReserved_sendsOneConditionalPutOfTheOrderAndNoGuardOrCounter() {
        SaveOutcome outcome = store.saveNew(order, reserved);

        assertThat(outcome).isEqualTo(new SaveOutcome.Saved(order));
        RecordingHttpClient.Call call = http.onlyCall();
        assertThat(call.operation()).isEqualTo("PutItem");
        JsonNode put = call.body();
        assertThat(put.get("TableName").asText()).isEqualTo("orders");
        assertThat(put.at("/Item/pk/S").asText()).isEqualTo("ORDER#" + order.orderId().value());
        assertThat(put.at("/Item/orderNumber/N").asText()).isEqualTo("8");
        assertThat(put.get("ConditionExpression").asText()).isEqualTo("attribute_not_exists(#pk)");
        assertThat(put.at("/ExpressionAttributeNames/#pk").asText()).isEqualTo("pk");
        assertThat(put.get("ReturnValuesOnConditionCheckFailure").asText()).isEqualTo("ALL_OLD");
    }

    @Test
    void saveNew_whenBlockReservedAndTheOrderExistsWithAnotherNumber_returnsTheStoredOrderAsAlreadyExisting() {
        ConfirmedOrder stored = new ConfirmedOrder(order.order(), new dev.orderpipeline.domain.model.OrderNumber(3),
                order.confirmedAt(), order.fingerprint());
        http.answer(400, conditionFailed(stored));

        assertThat(store.saveNew(order, reserved)).isEqualTo(new SaveOutcome.AlreadyExists(stored));
        assertThat(http.calls()).hasSize(1);
    }

    @Test
    void saveNew_whenBlockReservedAndTheOrderExistsWithThisVeryNumber_reportsItSavedSoTheNumberIsNeverReused() {
        // an SDK retry of a put whose first attempt was applied: the retry fails on the order it stored itself
        http.answer(400, conditionFailed(order));

        assertThat(store.saveNew(order, reserved)).isEqualTo(new SaveOutcome.Saved(order));
    }

    @Test
    void saveNew_whenBlockReservedAndTheConditionFailedWithoutTheItem_readsTheStoredOrder() {
        ConfirmedOrder stored = new ConfirmedOrder(order.order(), new dev.orderpipeline.domain.model.OrderNumber(3),
                order.confirmedAt(), order.fingerprint());
        http.answer(400, "{\"__type\":\"" + CONDITION_FAILED + "\",\"message\":\"The conditional request failed\"}")
                .answer(200, "{\"Item\":" + itemJson(stored) + "}");

        assertThat(store.saveNew(order, reserved)).isEqualTo(new SaveOutcome.AlreadyExists(stored));
        assertThat(http.calls().get(1).operation()).isEqualTo("GetItem");
        assertThat(http.calls().get(1).body().get("ConsistentRead").asBoolean()).isTrue();
    }

    @Test
    void saveNew_whenBlockReservedAndThePutMeetsATransactionOrThrottling_throwsUnavailableSinceAnEarlierAttemptMayHaveWritten() {
        http.answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionConflictException\",\"message\":\"ongoing\"}")
                .answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"slow down\"}");

        assertThatThrownBy(() -> store.saveNew(order, reserved)).isInstanceOf(OrderStoreUnavailableException.class)
                .cause().isInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionConflictException.class);
        assertThatThrownBy(() -> store.saveNew(order, reserved)).isInstanceOf(OrderStoreUnavailableException.class)
                .cause().isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.class);
    }

    @Test
    void saveNew_whenReasonsArriveOutOfRequestOrder_matchesThemByTheItemsTheyReturn() {
        http.answer(400, cancelled("""
                [{"Code":"ConditionalCheckFailed","Item":{"pk":{"S":"COUNTER#order-number"},"last":{"N":"11"}}},
                 {"Code":"None"},{"Code":"None"}]"""));

        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.ClaimStale(11));
    }

    @Test
    void saveNew_whenTheCounterFailedWithoutItsItem_readsTheCounterConsistentlyInsteadOfGuessing() {
        http.answer(400, cancelled("[{\"Code\":\"None\"},{\"Code\":\"None\"},{\"Code\":\"ConditionalCheckFailed\"}]"))
                .answer(200, "{\"Item\":{\"pk\":{\"S\":\"COUNTER#order-number\"},\"last\":{\"N\":\"12\"}}}");

        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.ClaimStale(12));
        JsonNode read = http.calls().get(1).body();
        assertThat(http.calls().get(1).operation()).isEqualTo("GetItem");
        assertThat(read.get("ConsistentRead").asBoolean()).isTrue();
        assertThat(read.at("/Key/pk/S").asText()).isEqualTo("COUNTER#order-number");
    }

    @Test
    void saveNew_whenTheOrderFailedWithoutItsItem_readsTheStoredOrder() {
        ConfirmedOrder stored = new ConfirmedOrder(order.order(), new dev.orderpipeline.domain.model.OrderNumber(3),
                order.confirmedAt(), order.fingerprint());
        http.answer(400, cancelled("[{\"Code\":\"ConditionalCheckFailed\"},{\"Code\":\"None\"},{\"Code\":\"None\"}]"))
                .answer(200, "{\"Item\":" + itemJson(stored) + "}");

        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.AlreadyExists(stored));
        assertThat(http.calls().get(1).body().get("ConsistentRead").asBoolean()).isTrue();
        assertThat(http.calls().get(1).body().at("/Key/pk/S").asText()).isEqualTo("ORDER#" + order.orderId().value());
    }

    @Test
    void saveNew_whenTheOrderExists_returnsTheStoredOrderFromTheCancellationReason() {
        ConfirmedOrder stored = TestOrders.confirmed(3);
        ConfirmedOrder sameId = new ConfirmedOrder(stored.order(), order.orderNumber(), order.confirmedAt(), "other");
        http.answer(400, cancelled("[{\"Code\":\"ConditionalCheckFailed\",\"Item\":" + itemJson(stored)
                + "},{\"Code\":\"None\"},{\"Code\":\"ConditionalCheckFailed\"}]"));

        assertThat(store.saveNew(sameId, strict)).isEqualTo(new SaveOutcome.AlreadyExists(stored));
        assertThat(http.calls()).hasSize(1);
    }

    @Test
    void saveNew_whenOnlyTheNumberGuardFailed_reportsTheNumberTaken() {
        http.answer(400, cancelled("[{\"Code\":\"None\"},{\"Code\":\"ConditionalCheckFailed\"},{\"Code\":\"None\"}]"));

        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.NumberTaken());
    }

    @Test
    void saveNew_whenTheGuardFailedWhileATransactionInFlightHeldTheCounter_reportsContentionNotATakenNumber() {
        // a lost race: the number went to the winner, whose next transaction holds the counter, so the counter's
        // condition was never checked; "taken" would make the allocator send a claim on the stale counter that must fail
        http.answer(400, cancelled("[{\"Code\":\"None\"},{\"Code\":\"ConditionalCheckFailed\"},{\"Code\":\"TransactionConflict\"}]"));

        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.Contended());
        assertThat(http.calls()).hasSize(1);
    }

    @Test
    void saveNew_whenCancelledByAConflictOrThrottling_reportsContentionSoTheSameOrderIsTriedAgain() {
        http.answer(400, cancelled("[{\"Code\":\"None\"},{\"Code\":\"None\"},{\"Code\":\"TransactionConflict\"}]"))
                .answer(400, cancelled("[{\"Code\":\"None\"},{\"Code\":\"None\"},{\"Code\":\"ThrottlingError\"}]"));

        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.Contended());
        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.Contended());
    }

    @Test
    void saveNew_whenTheEndpointGivesNoReasons_readsWhichConditionFailed() {
        http.answer(400, "{\"__type\":\"" + CANCELLED + "\",\"message\":\"Transaction cancelled\"}")
                .answer(200, "{}") // no such order
                .answer(200, "{\"Item\":{\"pk\":{\"S\":\"COUNTER#order-number\"},\"last\":{\"N\":\"9\"}}}");

        assertThat(store.saveNew(order, strict)).isEqualTo(new SaveOutcome.ClaimStale(9));
        assertThat(http.calls()).extracting(RecordingHttpClient.Call::operation)
                .containsExactly("TransactWriteItems", "GetItem", "GetItem");
    }

    @Test
    void saveNew_whenDynamoDbFails_throwsUnavailableKeepingTheCause() {
        http.answer(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"boom\"}");

        assertThatThrownBy(() -> store.saveNew(order, strict)).isInstanceOf(OrderStoreUnavailableException.class)
                .cause().isInstanceOf(software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException.class)
                .hasMessageStartingWith("boom");
    }

    @Test
    void findConfirmed_readsTheOrderItemConsistently() {
        http.answer(200, "{\"Item\":" + itemJson(order) + "}");

        assertThat(store.findConfirmed(order.orderId())).contains(order);
        JsonNode read = http.onlyCall().body();
        assertThat(read.at("/Key/pk/S").asText()).isEqualTo("ORDER#" + order.orderId().value());
        assertThat(read.get("ConsistentRead").asBoolean()).isTrue();
        assertThat(read.get("TableName").asText()).isEqualTo("orders");
    }

    /** PutItem's answer when its condition failed and it asked for the current item (ALL_OLD). */
    private static String conditionFailed(ConfirmedOrder stored) {
        return "{\"__type\":\"" + CONDITION_FAILED + "\",\"message\":\"The conditional request failed\",\"Item\":"
                + itemJson(stored) + "}";
    }

    private static String cancelled(String reasons) {
        return "{\"__type\":\"" + CANCELLED + "\",\"message\":\"Transaction cancelled\",\"CancellationReasons\":" + reasons + "}";
    }

    /** The stored item of an order, as DynamoDB's JSON. */
    static String itemJson(ConfirmedOrder order) {
        StringBuilder json = new StringBuilder("{");
        DynamoDbOrderStore.toItem(order).forEach((name, value) -> {
            json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":");
            json.append(value.s() != null ? "{\"S\":" + quote(value.s()) + "}" : "{\"N\":\"" + value.n() + "\"}");
        });
        return json.append('}').toString();
    }

    private static String quote(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
