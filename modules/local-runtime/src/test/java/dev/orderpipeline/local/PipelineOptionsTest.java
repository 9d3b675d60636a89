package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The flags ./run-local and ./bench share: parsed as each command line parses them. */
class PipelineOptionsTest {
    @Command(name = "run-local")
    static final class RunLocal implements Callable<Integer> {
        @Mixin
        PipelineOptions options = new PipelineOptions();
        LocalSettings settings;

        @Override
        public Integer call() {
            settings = options.applyTo(LocalSettings.defaults());
            return 0;
        }
    }

    @Command(name = "bench")
    static final class Bench {
        @Mixin
        PipelineOptions options = new PipelineOptions(30);
    }

    @Test
    void applyTo_whenNoFlags_keepsTheTemplatesSettings() {
        RunLocal runLocal = new RunLocal();
        new CommandLine(runLocal).execute();

        assertThat(runLocal.settings).isEqualTo(LocalSettings.defaults());
    }

    @Test
    void applyTo_whenFlagsGiven_setsNumberingPollersAndQueueTiming() {
        RunLocal runLocal = new RunLocal();
        new CommandLine(runLocal).execute("--number-mode", "block", "--block-size", "50", "--pollers", "4",
                "--visibility-timeout", "30", "--batching-window", "250ms");

        assertThat(runLocal.settings.numberMode()).isEqualTo("block");
        assertThat(runLocal.settings.blockSize()).isEqualTo(50);
        assertThat(runLocal.settings.pollers()).isEqualTo(4);
        assertThat(runLocal.settings.visibilityTimeoutSeconds()).isEqualTo(30);
        assertThat(runLocal.settings.batchingWindow()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void defaults_whenCommandPassesItsOwnInstance_areItsOwnInHelpAndSettings() {
        Bench bench = new Bench();

        assertThat(bench.options.applyTo(LocalSettings.defaults()).visibilityTimeoutSeconds()).isEqualTo(30);
        assertThat(help(bench)).contains("a failed message comes back after it (default: 30).");
        assertThat(help(new RunLocal())).contains("a failed message comes back after it (default: 180).");
    }

    /** The usage text on one line, however picocli wraps it. */
    private static String help(Object command) {
        return new CommandLine(command).getUsageMessage().replaceAll("\\s+", " ");
    }

    @Test
    void applyTo_whenNumberModeUnknown_isAUsageErrorNamingTheFlag() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RunLocal()).setErr(new PrintWriter(err));

        int exit = cli.execute("--number-mode", "fast");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--number-mode must be strict or block");
    }

    @ParameterizedTest
    @CsvSource({"90, PT1M30S", "90s, PT1M30S", "1.5s, PT1.5S", "250ms, PT0.25S", "10m, PT10M", "1h, PT1H",
            "PT2M, PT2M", "0, PT0S", "' 20S ', PT20S"})
    void durationConverter_acceptsSecondsUnitsDecimalsAndIso(String value, String expected) {
        assertThat(DurationConverter.parse(value)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "-5s", "5 s", "PT-1S", "1d", ""})
    void durationConverter_whenNotADuration_saysWhatIsAccepted(String value) {
        assertThatThrownBy(() -> DurationConverter.parse(value))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("is not a duration; use e.g. 500ms");
    }
}
