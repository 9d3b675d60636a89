package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The requests of {@link StrictNumberAllocator} and {@link BlockNumberAllocator}, on a recorded HTTP client. */
class NumberAllocatorsTest {
    private final RecordingHttpClient http = new RecordingHttpClient();
    private final DynamoDbClient dynamoDb = http.client(DynamoDbClient.builder());

    @Test
    void strictClaim_readsTheCounterConsistentlyOnceThenClaimsFromWhatItSaw() {
        http.answer(200, "{\"Item\":{\"pk\":{\"S\":\"COUNTER#order-number\"},\"last\":{\"N\":\"41\"}}}");
        StrictNumberAllocator allocator = new StrictNumberAllocator(dynamoDb, "orders");

        NumberClaim first = allocator.claim();
        allocator.settle(first, new SaveOutcome.Saved(TestOrders.confirmed(42)));
        NumberClaim second = allocator.claim();

        assertThat(first).isEqualTo(new NumberClaim.Conditional(new dev.orderpipeline.domain.model.OrderNumber(42), 41));
        assertThat(second).isEqualTo(new NumberClaim.Conditional(new dev.orderpipeline.domain.model.OrderNumber(43), 42));
        JsonNode read = http.onlyCall().body();
        assertThat(read.at("/Key/pk/S").asText()).isEqualTo("COUNTER#order-number");
        assertThat(read.get("ConsistentRead").asBoolean()).isTrue();
    }

    @Test
    void strictClaim_afterContention_readsTheCounterAgain() {
        http.answer(200, "{}").answer(200, "{\"Item\":{\"pk\":{\"S\":\"COUNTER#order-number\"},\"last\":{\"N\":\"5\"}}}");
        StrictNumberAllocator allocator = new StrictNumberAllocator(dynamoDb, "orders");

        NumberClaim first = allocator.claim();
        allocator.settle(first, new SaveOutcome.Contended());
        NumberClaim second = allocator.claim();

        assertThat(((NumberClaim.Conditional) first).counterBefore()).isZero();
        assertThat(((NumberClaim.Conditional) second).counterBefore()).isEqualTo(5);
        assertThat(http.calls()).hasSize(2);
    }

    @Test
    void blockClaim_reservesTheBlockWithOneAtomicAddAndHandsItOutWithoutFurtherCalls() {
        http.answer(200, "{\"Attributes\":{\"last\":{\"N\":\"30\"}}}");
        BlockNumberAllocator allocator = new BlockNumberAllocator(dynamoDb, "orders", 3);

        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            numbers.add(allocator.claim().number().sequence());
        }

        assertThat(numbers).containsExactly(28L, 29L, 30L);
        RecordingHttpClient.Call call = http.onlyCall();
        assertThat(call.operation()).isEqualTo("UpdateItem");
        assertThat(call.body().at("/Key/pk/S").asText()).isEqualTo("COUNTER#order-number");
        assertThat(call.body().get("UpdateExpression").asText()).isEqualTo("ADD #last :size SET #kind = :kind");
        assertThat(call.body().at("/ExpressionAttributeValues/:size/N").asText()).isEqualTo("3");
        assertThat(call.body().get("ReturnValues").asText()).isEqualTo("UPDATED_NEW");
    }

    @Test
    void blockSettle_whenNothingWasWritten_handsTheSameNumberOutAgain() {
        http.answer(200, "{\"Attributes\":{\"last\":{\"N\":\"3\"}}}");
        BlockNumberAllocator allocator = new BlockNumberAllocator(dynamoDb, "orders", 3);

        NumberClaim contended = allocator.claim();
        allocator.settle(contended, new SaveOutcome.Contended());
        NumberClaim again = allocator.claim();
        allocator.settle(again, new SaveOutcome.AlreadyExists(TestOrders.confirmed(9)));

        assertThat(again).isEqualTo(contended);
        assertThat(allocator.claim()).isEqualTo(contended);
    }

    @Test
    void blockSettle_whenTheNumberWasUsedOrCannotBeVouchedFor_neverHandsItOutAgain() {
        http.answer(200, "{\"Attributes\":{\"last\":{\"N\":\"4\"}}}");
        BlockNumberAllocator allocator = new BlockNumberAllocator(dynamoDb, "orders", 4);

        NumberClaim saved = allocator.claim();
        allocator.settle(saved, new SaveOutcome.Saved(TestOrders.confirmed(1)));
        NumberClaim taken = allocator.claim();
        allocator.settle(taken, new SaveOutcome.NumberTaken());
        NumberClaim failed = allocator.claim(); // the store threw: settle is never called for it

        assertThat(List.of(saved, taken, failed, allocator.claim())).extracting(c -> c.number().sequence())
                .containsExactly(1L, 2L, 3L, 4L);
    }
}
