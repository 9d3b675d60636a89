package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

class ConcurrencyIT extends EmulatorFixture {
    private static final int THREADS = 8;
    private static final int INCREMENTS_PER_THREAD = 200;

    @Test
    void updateItem_whenEightThreadsIncrementWithCompareAndSet_losesNoUpdate() throws Exception {
        String table = createTable(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("counter"), "value", n("0"))));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(incrementer(table)));
            }
            int conflicts = 0;
            for (Future<Integer> worker : workers) {
                conflicts += worker.get(120, TimeUnit.SECONDS);
            }

            String value = dynamoDb.getItem(b -> b.tableName(table).key(key("counter")).consistentRead(true))
                    .item().get("value").n();
            assertThat(value).isEqualTo(String.valueOf(THREADS * INCREMENTS_PER_THREAD));
            // not required for correctness, but shows the threads really raced
            assertThat(conflicts).as("compare-and-set conflicts").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Increments the counter INCREMENTS_PER_THREAD times, retrying lost races; returns the number of races lost. */
    private static Callable<Integer> incrementer(String table) {
        return () -> {
            int conflicts = 0;
            int done = 0;
            while (done < INCREMENTS_PER_THREAD) {
                String current = dynamoDb.getItem(b -> b.tableName(table).key(key("counter")).consistentRead(true))
                        .item().get("value").n();
                String next = String.valueOf(Long.parseLong(current) + 1);
                try {
                    dynamoDb.updateItem(b -> b.tableName(table).key(key("counter"))
                            .updateExpression("SET #n = :new").conditionExpression("#n = :old")
                            .expressionAttributeNames(Map.of("#n", "value"))
                            .expressionAttributeValues(Map.of(":new", n(next), ":old", n(current))));
                    done++;
                } catch (ConditionalCheckFailedException lostRace) {
                    conflicts++;
                }
            }
            return conflicts;
        };
    }
}
