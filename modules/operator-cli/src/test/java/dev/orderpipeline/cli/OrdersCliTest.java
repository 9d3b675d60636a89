package dev.orderpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Argument parsing and error reporting; nothing here reaches a network. */
class OrdersCliTest {
    @TempDir
    Path dir;

    static Stream<List<String>> everyCommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(OrdersCli.newCommandLine(new OrdersCli()), new ArrayList<>(), paths);
        return paths.stream();
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cmd.getSubcommands().forEach((name, sub) -> {
            List<String> next = new ArrayList<>(path);
            next.add(name);
            collect(sub, next, out);
        });
    }

    @Test
    void everyCommand_isCovered() {
        assertThat(everyCommand().map(p -> String.join(" ", p))).containsExactlyInAnyOrder(
                "", "submit", "status", "dlq", "dlq stats", "dlq peek", "dlq replay", "events", "events tail", "events replay");
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void help_whenAskedOnAnyCommand_printsUsageAndExits0(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");

        CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Usage: orders" + (command.isEmpty() ? "" : " " + String.join(" ", command)));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void dlqStats_whenLocalRuntimeFileIsMissing_printsOneLineAndExits2() {
        CliRunner.Result result = CliRunner.run("--local-file", dir.resolve("absent.json").toString(), "dlq", "stats");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("orders: no local runtime is running (start it with ./run-local)"
                + " — or target a stack with --stack NAME");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void status_whenLocalRuntimeFileNamesADeadProcess_printsNoRuntimeAndExits2() throws IOException {
        Path file = dir.resolve("local-runtime.json");
        Files.writeString(file, "{\"apiUrl\":\"http://localhost:8080\",\"awsEndpoint\":\"http://localhost:4566\","
                + "\"region\":\"us-east-1\",\"pid\":" + Long.MAX_VALUE + "}");

        CliRunner.Result result = CliRunner.run("--local-file", file.toString(), "status", "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("orders: " + Target.NO_LOCAL_RUNTIME);
    }

    @Test
    void globalOption_whenGivenAfterTheSubcommand_isApplied() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{ not json");

        CliRunner.Result result = CliRunner.run("dlq", "peek", "--local-file", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("orders: " + file + " is not valid JSON");
    }

    @Test
    void eventsReplay_whenInstantIsNotIso_rejectsWithUsageError() {
        CliRunner.Result result = CliRunner.run("events", "replay", "--from", "yesterday", "--to", "2026-11-26T11:00:00Z");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("orders: Invalid value for option '--from': 'yesterday' is not an "
                + "ISO-8601 instant; use e.g. 2026-11-26T10:00:00Z or 2026-11-26T11:00:00+01:00 (see: orders events replay --help)");
    }

    @Test
    void eventsReplay_whenFromIsNotBeforeTo_rejectsWithUsageError() {
        CliRunner.Result result = CliRunner.run("events", "replay", "--from", "2026-11-26T11:00:00Z", "--to", "2026-11-26T10:00:00Z");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--from (2026-11-26T11:00:00Z) must be before --to (2026-11-26T10:00:00Z)");
    }

    @Test
    void eventsReplay_whenNoLocalRuntimeRuns_saysHowToStartOne() {
        CliRunner.Result result = CliRunner.run("--local-file", dir.resolve("absent.json").toString(),
                "events", "replay", "--from", "2026-11-26T10:00:00Z", "--to", "2026-11-26T12:00:00+01:00");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().startsWith("orders: " + Target.NO_LOCAL_RUNTIME);
    }

    @Test
    void eventsReplay_whenOptionsAreMissing_namesThem() {
        CliRunner.Result result = CliRunner.run("events", "replay");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required options").contains("--from").contains("--to");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "-1", "501"})
    void dlqReplay_whenRateIsOutOfRange_rejectsBeforeTouchingAnyQueue(String rate) {
        CliRunner.Result result = CliRunner.run("--local-file", dir.resolve("absent.json").toString(),
                "dlq", "replay", "--rate", rate);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("orders: --rate must be from 1 to 500 messages per second (got "
                + rate + ") (see: orders dlq replay --help)");
    }

    @Test
    void dlqReplay_whenMaxIsZero_rejects() {
        CliRunner.Result result = CliRunner.run("dlq", "replay", "--max", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--max must be at least 1");
    }

    @Test
    void dlqReplay_whenViaStateMachineWithoutStack_explainsItNeedsAStack() {
        CliRunner.Result result = CliRunner.run("dlq", "replay", "--via-state-machine");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("orders: --via-state-machine starts the DlqRedriveStateMachine of a deployed stack");
    }

    @Test
    void dlqReplay_whenViaStateMachineWithMax_rejectsTheCombination() {
        CliRunner.Result result = CliRunner.run("--stack", "prod", "dlq", "replay", "--via-state-machine", "--max", "3");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--via-state-machine and --max cannot be combined");
    }

    @Test
    void dlqReplay_whenTimeoutIsNotADuration_rejects() {
        CliRunner.Result result = CliRunner.run("dlq", "replay", "--wait", "--timeout", "soon");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'soon' is not a duration");
    }

    @Test
    void stack_whenNoRegionIsKnown_asksForOne() {
        CliRunner.Result result = CliRunner.run(Map.of(), "--stack", "prod", "dlq", "stats");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("orders: --stack needs a region: pass --region or set AWS_REGION");
    }

    @Test
    void status_whenIdIsNotAnOrderId_rejectsWithoutCallingTheApi() {
        CliRunner.Result result = CliRunner.run("--api-url", "http://127.0.0.1:1", "status", "../admin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'../admin' is not an order id");
    }

    @Test
    void submit_whenFileIsMissing_exits2() {
        CliRunner.Result result = CliRunner.run("--api-url", "http://127.0.0.1:1", "submit", dir.resolve("nope.json").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("no such file");
    }

    @Test
    void submit_whenIdempotencyKeyHasSpaces_exits2() throws IOException {
        Path order = Files.writeString(dir.resolve("order.json"), "{}");

        CliRunner.Result result = CliRunner.run("--api-url", "http://127.0.0.1:1", "submit", order.toString(),
                "--idempotency-key", "has spaces");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--idempotency-key must be 1..128 printable ASCII characters without spaces");
    }

    @Test
    void unknownOption_isAOneLineUsageError() {
        CliRunner.Result result = CliRunner.run("dlq", "stats", "--colour");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("orders: Unknown option: '--colour' (see: orders dlq stats --help)");
    }

    @Test
    void operationFailure_whenApiIsUnreachable_isOneLineWithoutStackTraceAndExits1() throws IOException {
        Path order = Files.writeString(dir.resolve("order.json"), "{}");

        // port 1 on loopback: nothing listens there, the connection is refused at once
        CliRunner.Result result = CliRunner.run("--api-url", "http://127.0.0.1:1", "submit", order.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("orders: cannot reach the orders API at http://127.0.0.1:1");
    }

    @Test
    void debug_whenAnOperationFails_addsTheStackTrace() throws IOException {
        Path order = Files.writeString(dir.resolve("order.json"), "{}");

        CliRunner.Result result = CliRunner.run("--debug", "--api-url", "http://127.0.0.1:1", "submit", order.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("java.net.ConnectException");
    }
}
