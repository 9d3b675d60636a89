package dev.orderpipeline.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orderpipeline.concurrency.ConfirmationSchedule.CrashPoint;
import dev.orderpipeline.concurrency.ConfirmationSchedule.InvariantViolation;
import dev.orderpipeline.concurrency.ConfirmationSchedule.NumberMode;
import dev.orderpipeline.concurrency.ConfirmationSchedule.Scenario;
import dev.orderpipeline.concurrency.EngineDynamoDbClient.Mutation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Systematic concurrency testing of order numbering: for each scenario Fray explores {@link Exploration#SCHEDULES}
 * interleavings of 2–3 confirmation workers (each its own {@code ConfirmOrders}, allocator and client) over one
 * shared orders table in the DynamoDB emulator's engine, and every schedule must keep every invariant. Planted bugs
 * must be found within the same budget, or the harness has no teeth.
 *
 * <p>{@code -Dconcurrency.scenario=NAME[,NAME...]} runs only those scenarios (with {@code -Dconcurrency.replay=DIR}, replays a recorded
 * failure of it). docs/soak.md has the commands and the large run's figures.
 */
class OrderNumberingConcurrencyTest {
    /** Comma-separated scenario names to run; all when empty. */
    private static final List<String> ONLY = Arrays.stream(System.getProperty("concurrency.scenario", "").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();

    static Stream<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>();
        for (NumberMode mode : List.of(NumberMode.STRICT, NumberMode.BLOCK)) {
            String m = mode.name().toLowerCase();
            // two workers get the same two orders in opposite order: duplicates racing each other and the counter
            all.add(new Scenario("duplicates-" + m, mode, 2, List.of(List.of(0, 1), List.of(1, 0)), CrashPoint.NONE,
                    Mutation.NONE));
            // worker 0 dies at a step while worker 1 confirms a duplicate and another order; a fresh worker retries
            for (CrashPoint crash : List.of(CrashPoint.AFTER_CLAIM, CrashPoint.AFTER_STORE, CrashPoint.AFTER_PUBLISH)) {
                all.add(new Scenario("crash-" + crash.name().toLowerCase().replace('_', '-') + "-" + m, mode, 2,
                        List.of(List.of(0), List.of(0, 1)), crash, Mutation.NONE));
            }
            // three workers, three different orders: everybody wants the counter at once
            all.add(new Scenario("contention-" + m, mode, 3, List.of(List.of(0), List.of(1), List.of(2)),
                    CrashPoint.NONE, Mutation.NONE));
        }
        // a mode switch in progress: strict workers (0, 2) and a block worker (1) on one table and one counter
        all.add(new Scenario("duplicates-mixed", NumberMode.MIXED, 2, List.of(List.of(0, 1), List.of(1, 0)),
                CrashPoint.NONE, Mutation.NONE));
        all.add(new Scenario("contention-mixed", NumberMode.MIXED, 3, List.of(List.of(0), List.of(1), List.of(2)),
                CrashPoint.NONE, Mutation.NONE));
        return all.stream().filter(s -> ONLY.isEmpty() || ONLY.contains(s.name()));
    }

    static Stream<Scenario> plantedBugs() {
        Scenario duplicates = new Scenario("duplicates-strict", NumberMode.STRICT, 2,
                List.of(List.of(0, 1), List.of(1, 0)), CrashPoint.NONE, Mutation.NONE);
        Scenario contention = new Scenario("contention-strict", NumberMode.STRICT, 3,
                List.of(List.of(0), List.of(1), List.of(2)), CrashPoint.NONE, Mutation.NONE);
        Scenario duplicatesBlock = new Scenario("duplicates-block", NumberMode.BLOCK, 2,
                List.of(List.of(0, 1), List.of(1, 0)), CrashPoint.NONE, Mutation.NONE);
        Scenario contentionBlock = new Scenario("contention-block", NumberMode.BLOCK, 3,
                List.of(List.of(0), List.of(1), List.of(2)), CrashPoint.NONE, Mutation.NONE);
        return Stream.of(duplicates.withMutation(Mutation.ORDER_PUT_UNCONDITIONAL),
                        contention.withMutation(Mutation.NUMBER_UNCHECKED),
                        duplicatesBlock.withMutation(Mutation.ORDER_PUT_UNCONDITIONAL),
                        contentionBlock.withMutation(Mutation.RESERVATION_NOT_ATOMIC))
                .filter(s -> ONLY.isEmpty() || ONLY.contains(s.name()));
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("scenarios")
    void confirm_whenWorkersInterleaveInEveryExploredWay_keepsEveryNumberingInvariant(Scenario scenario) {
        Exploration.Outcome outcome = Exploration.explore(scenario);

        assertThat(outcome.failure()).as(outcome.summary()).isNull();
        assumeTrue(Exploration.isExploring(), "replayed one schedule");
        assertThat(outcome.schedules()).as("schedules explored").isEqualTo(Exploration.SCHEDULES);
        // a guarantee test shows it met what it guards against
        if (scenario.name().startsWith("duplicates")) {
            assertThat(outcome.tally().duplicates).as("duplicate deliveries met").isPositive();
        }
        if (scenario.crash() != CrashPoint.NONE) {
            assertThat(outcome.tally().crashes).as("worker crashes injected").isPositive();
            assertThat(outcome.tally().redeliveries).as("batches redelivered after a crash").isPositive();
        }
        // block mode writes no transaction at all (one conditional put per order, the counter reserved by an ADD):
        // there, the duplicates' race is decided by the put's condition and counted as duplicate deliveries above
        if (scenario.name().equals("duplicates-strict") || scenario.name().equals("contention-strict")) {
            assertThat(outcome.tally().conflicts).as("transaction conflicts the schedules produced").isPositive();
        }
        if (scenario.name().equals("contention-mixed")) {
            assertThat(outcome.tally().interleaved).as("schedules where both modes moved the counter in turn").isPositive();
        }
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("plantedBugs")
    void confirm_whenTheProtocolIsBroken_explorationFindsAViolation(Scenario broken) {
        Exploration.Outcome outcome = Exploration.explore(broken);

        assertThat(outcome.failure())
                .as("the planted bug %s must be found within %d schedules", broken.mutation(), Exploration.SCHEDULES)
                .isInstanceOf(InvariantViolation.class);
    }
}
