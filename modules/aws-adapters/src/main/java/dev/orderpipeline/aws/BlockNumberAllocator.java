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
 * <p><b>Why no number goes to two orders</b>, although {@link DynamoDbOrderStore} stores a block-mode order with a
 * single conditional put and no {@code NUMBER#n} guard:
 * <ul>
 *   <li>Ranges are disjoint. {@code ADD} is atomic, and every write to the counter only moves it up: a reservation
 *       takes exactly {@code (before, before + blockSize]}, and a strict-mode claim (when modes are mixed on one
 *       table) takes {@code n > before} only if the counter still reads {@code before}, and sets it to {@code n}.
 *       Each write to the counter therefore owns the interval it moved the counter across, and no two intervals
 *       overlap; a number below the counter can never be handed out again by anyone.</li>
 *   <li>Within a worker, each number is handed out once: {@link #claim} removes it from the deque under this
 *       object's lock, and {@link #settle} puts it back only on an outcome that proves nothing was written under it
 *       ({@link SaveOutcome.AlreadyExists}: the order's condition failed on an order stored with another number;
 *       {@link SaveOutcome.Contended}). After {@link SaveOutcome.Saved}, {@link SaveOutcome.NumberTaken}, or an
 *       exception (the store cannot tell whether the write landed; {@code settle} is not even called) the number is
 *       dropped, which leaves a gap but never a duplicate.</li>
 * </ul>
 * A put-back number goes to the front, so the worker's next order takes it. Numbers increase within a block but
 * interleave across workers, and a worker that stops with numbers left unused leaves gaps.
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
            available.addFirst(claim.number().sequence()); // nothing was written under it: the number is still ours alone
        }
        // Saved: used. NumberTaken: someone else holds it. Either way it is never handed out again.
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
