package dev.orderpipeline.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.orderpipeline.events.OrderConfirmedV1;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The requests the store sends, and the path the in-repo endpoint never takes (it always returns the item with a
 * condition failure, as DynamoDB does): a failure without the item is settled by a consistent read, not a guess.
 */
class DynamoDbOrderHistoryStoreTest {
    private static final String TABLE = "history";
    private static final OrderConfirmedV1 EVENT = new OrderConfirmedV1("5f0c3f5e-7d1c-3c39-9a43-0d5c6b0f3a11",
            "8e1b1d7e-2d3c-4e5f-8a9b-0c1d2e3f4a5b", "ORD-0000000042", "cust-1", "EUR",
            List.of(new OrderConfirmedV1.Line("SKU-1", 1, new BigDecimal("9.90"), new BigDecimal("9.90"))),
            new BigDecimal("9.90"), Instant.parse("2026-11-26T09:59:59Z"), Instant.parse("2026-11-26T10:00:00Z"));

    private final DynamoDbClient dynamoDb = mock(DynamoDbClient.class);
    private final DynamoDbOrderHistoryStore store = new DynamoDbOrderHistoryStore(dynamoDb, TABLE);

    @Test
    void record_whenTheEventIsNewer_sendsOneConditionalUpdateThatAsksForTheItemOnFailure() {
        when(dynamoDb.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());

        assertThat(store.record(EVENT)).isEqualTo(OrderHistoryStore.Outcome.RECORDED);

        UpdateItemRequest sent = updates(1).get(0);
        assertThat(sent.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("CUSTOMER#cust-1")));
        assertThat(sent.conditionExpression()).isEqualTo("attribute_not_exists(latestConfirmedAt) OR latestConfirmedAt < :at");
        assertThat(sent.updateExpression()).endsWith(" ADD orderNumbers :ns");
        assertThat(sent.expressionAttributeValues()).containsEntry(":at", AttributeValue.fromN("1795687200000"))
                .containsEntry(":ns", AttributeValue.fromSs(List.of("ORD-0000000042")));
        assertThat(sent.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    }

    @Test
    void record_whenTheFailureCarriesNoItemAndTheOrderIsRecorded_readsConsistently_andIsDuplicate() {
        when(dynamoDb.updateItem(any(UpdateItemRequest.class))).thenThrow(ConditionalCheckFailedException.builder().build());
        when(dynamoDb.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(Map.of("orderNumbers", AttributeValue.fromSs(List.of("ORD-0000000041", "ORD-0000000042")))).build());

        assertThat(store.record(EVENT)).isEqualTo(OrderHistoryStore.Outcome.DUPLICATE);

        ArgumentCaptor<GetItemRequest> read = ArgumentCaptor.forClass(GetItemRequest.class);
        verify(dynamoDb).getItem(read.capture());
        assertThat(read.getValue().consistentRead()).as("a read after a write must see it").isTrue();
        updates(1);
    }

    @Test
    void record_whenTheFailureCarriesNoItemAndTheOrderIsMissing_addsItWithoutCondition() {
        when(dynamoDb.updateItem(any(UpdateItemRequest.class)))
                .thenThrow(ConditionalCheckFailedException.builder().build())
                .thenReturn(UpdateItemResponse.builder().build());
        when(dynamoDb.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(Map.of("orderNumbers", AttributeValue.fromSs(List.of("ORD-0000000043")))).build());

        assertThat(store.record(EVENT)).isEqualTo(OrderHistoryStore.Outcome.RECORDED);

        UpdateItemRequest second = updates(2).get(1);
        assertThat(second.updateExpression()).isEqualTo("SET customerId = :c ADD orderNumbers :ns");
        assertThat(second.conditionExpression()).isNull();
    }

    @Test
    void record_whenDynamoDbFails_throwsHistoryStoreUnavailable_keepingTheCause() {
        DynamoDbException throttled = (DynamoDbException) DynamoDbException.builder().message("throttled").build();
        when(dynamoDb.updateItem(any(UpdateItemRequest.class))).thenThrow(throttled);

        assertThatThrownBy(() -> store.record(EVENT)).isInstanceOf(HistoryStoreUnavailableException.class)
                .hasMessageContaining(TABLE).hasCause(throttled);
    }

    private List<UpdateItemRequest> updates(int expected) {
        ArgumentCaptor<UpdateItemRequest> sent = ArgumentCaptor.forClass(UpdateItemRequest.class);
        verify(dynamoDb, times(expected)).updateItem(sent.capture());
        return sent.getAllValues();
    }
}
