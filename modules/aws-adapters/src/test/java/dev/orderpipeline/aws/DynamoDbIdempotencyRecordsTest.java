package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.orderpipeline.domain.intake.IdempotencyRecord;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

class DynamoDbIdempotencyRecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final OrderId ID = new OrderId("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b");
    private static final IdempotencyRecord MINE = new IdempotencyRecord(ID, "fp-mine", NOW, NOW.plusSeconds(86_400));

    private final DynamoDbClient dynamoDb = mock(DynamoDbClient.class);
    private final DynamoDbIdempotencyRecords records = new DynamoDbIdempotencyRecords(dynamoDb, "orders");

    @Test
    void claim_whenKeyIsFree_putsTheRecordOnlyIfAbsentOrExpiredAndReturnsIt() {
        when(dynamoDb.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());

        assertThat(records.claim(MINE, NOW)).isEqualTo(MINE);

        ArgumentCaptor<PutItemRequest> sent = ArgumentCaptor.forClass(PutItemRequest.class);
        verify(dynamoDb).putItem(sent.capture());
        PutItemRequest put = sent.getValue();
        assertThat(put.tableName()).isEqualTo("orders");
        assertThat(put.conditionExpression()).isEqualTo("attribute_not_exists(#pk) OR #expiresAt <= :now");
        assertThat(put.expressionAttributeNames()).containsEntry("#pk", "pk").containsEntry("#expiresAt", "expiresAt");
        assertThat(put.expressionAttributeValues().get(":now").n()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(put.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        assertThat(put.item().get("pk").s()).isEqualTo("IDEMPOTENCY#" + ID.value());
        assertThat(put.item().get("expiresAt").n()).isEqualTo(Long.toString(NOW.plusSeconds(86_400).getEpochSecond()));
        assertThat(DynamoDbIdempotencyRecords.fromItem(put.item())).isEqualTo(
                new IdempotencyRecord(ID, "fp-mine", NOW, Instant.ofEpochSecond(NOW.plusSeconds(86_400).getEpochSecond())));
    }

    @Test
    void claim_whenAnotherRecordHoldsTheKey_returnsThatRecord() {
        IdempotencyRecord theirs = new IdempotencyRecord(ID, "fp-theirs", NOW.minusSeconds(5),
                Instant.parse("2026-11-26T11:00:00Z")); // stored in whole seconds (the TTL attribute)
        when(dynamoDb.putItem(any(PutItemRequest.class))).thenThrow(ConditionalCheckFailedException.builder()
                .message("The conditional request failed").item(DynamoDbIdempotencyRecords.toItem(theirs)).build());

        assertThat(records.claim(MINE, NOW)).isEqualTo(theirs);
    }

    @Test
    void claim_whenTheConditionFailsWithoutTheItem_reportsTheStoreUnavailable() {
        when(dynamoDb.putItem(any(PutItemRequest.class))).thenThrow(ConditionalCheckFailedException.builder()
                .message("The conditional request failed").item(java.util.Map.<String, AttributeValue>of()).build());

        assertThatThrownBy(() -> records.claim(MINE, NOW)).isInstanceOf(OrderStoreUnavailableException.class);
    }

    @Test
    void claim_whenDynamoDbFails_translatesKeepingTheCause() {
        SdkClientException cause = SdkClientException.create("connection reset");
        when(dynamoDb.putItem(any(PutItemRequest.class))).thenThrow(cause);

        assertThatThrownBy(() -> records.claim(MINE, NOW))
                .isInstanceOf(OrderStoreUnavailableException.class).hasCause(cause);
    }
}
