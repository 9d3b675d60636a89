package dev.orderpipeline.aws;

import static dev.orderpipeline.aws.OrdersTable.*;

import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.OrderNumberAllocator;
import dev.orderpipeline.domain.port.OrderStoreUnavailableException;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Block mode: a worker reserves {@code blockSize} numbers with one atomic {@code ADD} on the counter and hands them
 * out locally, so the counter item sees one write per block instead of one per order.
 *
 * <p>Numbers stay unique (the block write is atomic, and the store still refuses a taken number); they increase
 * within a block but interleave across workers, and a worker that stops with numbers left unused leaves gaps.
 * A number whose order turned out to exist already is put back and reused.
 */
public final class BlockNumberAllocator implements OrderNumberAllocator {
    public static final int MAX_BLOCK_SIZE = 10_000;

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final int blockSize;
    private final Deque<Long> available = new ArrayDeque<>();

    public BlockNumberAllocator(DynamoDbClient dynamoDb, String tableName, int blockSize) {
        if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size must be between 1 and " + MAX_BLOCK_SIZE);
        }
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.blockSize = blockSize;
    }

    @Override
    public synchronized NumberClaim claim() {
        if (available.isEmpty()) {
            reserveBlock();
        }
        return new NumberClaim.Reserved(new OrderNumber(available.pollFirst()));
    }

    @Override
    public synchronized void settle(NumberClaim claim, SaveOutcome outcome) {
        if (outcome instanceof SaveOutcome.AlreadyExists || outcome instanceof SaveOutcome.Contended) {
            available.addFirst(claim.number().sequence()); // nothing was written: the number is still ours
        }
        // Saved: used. NumberTaken: someone else holds it; drop it.
    }

    private void reserveBlock() {
        try {
            UpdateItemResponse response = dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(Map.of(PK, DynamoDbOrderStore.s(COUNTER_KEY)))
                    .updateExpression("ADD #last :size SET #kind = :kind")
                    .expressionAttributeNames(Map.of("#last", COUNTER_LAST, "#kind", KIND))
                    .expressionAttributeValues(Map.of(":size", DynamoDbOrderStore.n(blockSize), ":kind", DynamoDbOrderStore.s("COUNTER")))
                    .returnValues(ReturnValue.UPDATED_NEW));
            long high = Long.parseLong(response.attributes().get(COUNTER_LAST).n());
            for (long n = high - blockSize + 1; n <= high; n++) {
                available.addLast(n);
            }
        } catch (RuntimeException e) { // SdkException, and the bare RuntimeException SDK 2.40's URL connection client throws on an attempt timeout
            throw new OrderStoreUnavailableException("could not reserve a block of order numbers", e);
        }
    }
}
