package dev.orderpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The template publishes each function with SnapStart, and Powertools' {@link MetricsFactory} registers a CRaC
 * resource whose {@code beforeCheckpoint} runs when Lambda snapshots the initialised function. It preloads a list of
 * classes, some of which reference AspectJ types: Powertools declares {@code aspectjrt} "provided", so a package
 * without it (as ours was) made the hook throw {@code NoClassDefFoundError}.
 *
 * <p>Each function module extends this as its own {@code SnapStartHooksTest}, so the hook runs on that module's test
 * classpath: the function's runtime classpath plus test libraries, none of which brings AspectJ. This module takes
 * Powertools as "provided" for the same reason: it adds nothing to that classpath.
 */
public abstract class SnapStartHooksContract {
    @Test
    public void beforeCheckpoint_whenSnapStartSnapshotsTheFunction_runsPowertoolsMetricsHookWithoutError() {
        MetricsFactory hook = new MetricsFactory();
        assertThatCode(() -> hook.beforeCheckpoint(null)).doesNotThrowAnyException();
        assertThatCode(() -> hook.afterRestore(null)).doesNotThrowAnyException();
    }
}
