package dev.orderpipeline.concurrency;

import dev.orderpipeline.concurrency.ConfirmationSchedule.Scenario;
import dev.orderpipeline.concurrency.ConfirmationSchedule.Tally;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import kotlin.Unit;
import org.pastalab.fray.core.command.Configuration;
import org.pastalab.fray.core.observers.TimelineCoverageType;
import org.pastalab.fray.core.randomness.ControlledRandomProvider;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.plain.FrayInTestLauncher;

/**
 * Runs a scenario under Fray: {@code concurrency.schedules} schedules (200 by default, 10,000 for the large run),
 * chosen by partial-order sampling (POS), each checked by {@link ConfirmationSchedule}. Fray stops at the first
 * violation and records that schedule (its scheduling decisions and random choices); {@code -Dconcurrency.replay=DIR}
 * runs exactly that schedule again.
 */
final class Exploration {
    static final int SCHEDULES = Integer.getInteger("concurrency.schedules", 200);
    private static final int TIME_LIMIT_SECONDS = Integer.getInteger("concurrency.timeLimitSeconds", 3600);
    private static final int WARM_UP_SCHEDULES = 10;
    private static final String REPLAY = System.getProperty("concurrency.replay", "").trim();

    /** What one exploration found. */
    record Outcome(Scenario scenario, int schedules, Tally tally, Throwable failure, Path recording, long millis) {
        String summary() {
            String head = "concurrency " + scenario.name() + ": " + schedules + " schedules explored in " + millis
                    + " ms, ";
            if (!isExploring()) {
                return "concurrency " + scenario.name() + ": replayed " + REPLAY + ": "
                        + (failure == null ? "no violation" : "VIOLATION: " + failure);
            }
            if (failure == null) {
                return head + "0 violations (" + tally + ")";
            }
            String found = scenario.mutation() == EngineDynamoDbClient.Mutation.NONE ? "VIOLATION: "
                    : "planted bug found as it must be: ";
            return head + found + failure + "\n  replay that schedule: ./mvnw -pl modules/confirmation-concurrency"
                    + " -am verify -Dtest='" + "OrderNumberingConcurrencyTest' -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -DskipITs -Dconcurrency.scenario=" + scenario.name() + " -Dconcurrency.replay=" + recording;
        }
    }

    private Exploration() {
    }

    /** False when one recorded schedule is replayed instead. */
    static boolean isExploring() {
        return REPLAY.isEmpty();
    }

    static Outcome explore(Scenario scenario) {
        Tally tally = new Tally();
        int[] started = {0};
        Runnable oneSchedule = () -> {
            started[0]++;
            new ConfirmationSchedule(scenario, tally).run();
        };
        Configuration[] config = new Configuration[1];
        Throwable failure = null;
        long start = System.nanoTime();
        PrintStream console = System.out;
        Path frayConsole = Paths.get("target", "fray", "console-" + scenario.name() + ".txt");
        try (PrintStream quiet = new PrintStream(new FileOutputStream(mkdirs(frayConsole).toFile()), true)) {
            // Fray redraws a progress screen on stdout; keep it out of the build log
            System.setOut(quiet);
            warmUp(scenario);
            if (REPLAY.isEmpty()) {
                FrayInTestLauncher.INSTANCE.launchFray(oneSchedule, new POSScheduler(), new ControlledRandomProvider(),
                        SCHEDULES, TIME_LIMIT_SECONDS, false, TimelineCoverageType.NONE, c -> {
                            config[0] = c;
                            return Unit.INSTANCE;
                        });
            } else {
                FrayInTestLauncher.INSTANCE.launchFrayReplay(oneSchedule, REPLAY);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            System.setOut(console);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Path recording = failure == null || config[0] == null ? null : keepRecording(config[0].getReport(), scenario);
        Outcome outcome = new Outcome(scenario, started[0], tally, failure, recording, millis);
        System.out.println(outcome.summary());
        return outcome;
    }

    /**
     * A few schedules whose outcome is ignored, before exploring and before replaying: the first runs in a JVM load
     * and initialise classes (the SDK model, Jackson's caches), which adds scheduling points later runs do not have.
     * A recorded schedule replays faithfully only if its run starts as warm as it was recorded.
     */
    private static void warmUp(Scenario scenario) {
        Tally ignored = new Tally();
        try {
            FrayInTestLauncher.INSTANCE.launchFray(() -> new ConfirmationSchedule(scenario, ignored).run(),
                    new POSScheduler(), new ControlledRandomProvider(), WARM_UP_SCHEDULES, TIME_LIMIT_SECONDS, false,
                    TimelineCoverageType.NONE, c -> Unit.INSTANCE);
        } catch (Throwable expectedForPlantedBugs) {
            // a planted bug may already show here; the exploration proper will find it again
        }
    }

    private static Path mkdirs(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fray records the failing schedule in {@code <report>/recording} (its scheduler and every random choice it
     * made), and the next exploration overwrites it: keep a copy per scenario.
     */
    private static Path keepRecording(Path report, Scenario scenario) {
        Path recorded = report.resolve("recording");
        Path kept = Paths.get("target", "fray", "recordings", scenario.name()).toAbsolutePath();
        try (Stream<Path> files = Files.walk(recorded)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path target = kept.resolve(recorded.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return kept;
        } catch (IOException | UncheckedIOException e) {
            return recorded;
        }
    }
}
